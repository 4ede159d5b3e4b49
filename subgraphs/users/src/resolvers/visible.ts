import { canonicalId, isStaff } from '@greenpoints/common';
import type { UsersContext } from '../context.ts';
import { hasGranted } from '../domain/consents.ts';
import { canSeeUser } from '../domain/visibility.ts';
import { usersError } from '../errors.ts';
import type { HouseholdRow, UserRow } from '../repositories/usersRepository.ts';

/**
 * A user the caller may not see, reached through another subgraph (a merchant's purchase names its
 * customer, for one). Federation needs an object where the schema says `User!`, so it gets one
 * that carries only the id, which the caller already holds; every personal field is withheld.
 */
export interface HiddenUser {
  id: string;
  hidden: true;
}
export type UserParent = UserRow | HiddenUser;

export const isHidden = (user: UserParent): user is HiddenUser => 'hidden' in user;

export async function viewerOf(ctx: UsersContext): Promise<UserRow | null> {
  return ctx.principal.sub ? ctx.loaders.user.load(ctx.principal.sub) : null;
}

/** Whether the user currently lets partners see their profile (PIPL: sharing needs its own consent). */
export async function sharesWithPartners(ctx: UsersContext, user: UserRow): Promise<boolean> {
  return user.status !== 'ERASED' && hasGranted(await ctx.loaders.consentHistory.load(user.id), 'PARTNER_SHARING', ctx.acceptedNotices);
}

/** Loads a user and returns it only when the caller may see it; otherwise it does not exist for them. */
export async function visibleUser(ctx: UsersContext, id: string): Promise<UserRow | null> {
  const [target, viewer] = await Promise.all([ctx.loaders.user.load(canonicalId(id)), viewerOf(ctx)]);
  if (!target) return null;
  if (ctx.principal.role === 'partner') return (await sharesWithPartners(ctx, target)) ? target : null;
  return canSeeUser(ctx.principal, viewer, target) ? target : null;
}

/**
 * `Query.user`: a user the caller may not see is null. For a partner, a user who exists but has not
 * granted PARTNER_SHARING is null with CONSENT_REQUIRED, so the partner knows to ask for consent.
 */
export async function userForQuery(ctx: UsersContext, id: string): Promise<UserRow | null> {
  const user = await visibleUser(ctx, id);
  if (user || ctx.principal.role !== 'partner') return user;
  if (await ctx.loaders.user.load(canonicalId(id))) throw usersError('CONSENT_REQUIRED', 'The user has not agreed to share their profile with partners');
  return null;
}

/** For non-null positions: the user if visible, else a stub with the id alone (never null). */
export async function userOrStub(ctx: UsersContext, id: string): Promise<UserParent> {
  return (await visibleUser(ctx, id)) ?? { id: canonicalId(id), hidden: true };
}

export async function visibleHousehold(ctx: UsersContext, id: string): Promise<HouseholdRow | null> {
  const [household, viewer] = await Promise.all([ctx.loaders.household.load(canonicalId(id)), viewerOf(ctx)]);
  if (!household) return null;
  return isStaff(ctx.principal) || viewer?.householdId === household.id ? household : null;
}

/** Household members the caller may see; the others are left out, never returned as null. */
export async function visibleMembers(ctx: UsersContext, householdId: string): Promise<UserRow[]> {
  const [members, viewer] = await Promise.all([ctx.loaders.householdMembers.load(householdId), viewerOf(ctx)]);
  return members.filter((member) => canSeeUser(ctx.principal, viewer, member));
}

/**
 * Wraps a personal field's resolver: on a hidden user the field is null with a FORBIDDEN error,
 * so the rest of the response is still served and nothing about the person leaks.
 */
export function personal<T>(resolve: (user: UserRow, ctx: UsersContext) => T) {
  return (user: UserParent, _: unknown, ctx: UsersContext): T => {
    if (isHidden(user)) {
      if (ctx.principal.role === 'partner') throw usersError('CONSENT_REQUIRED', 'The user has not agreed to share their profile with partners');
      throw usersError('FORBIDDEN', 'You may not see this user');
    }
    return resolve(user, ctx);
  };
}
