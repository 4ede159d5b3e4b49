import { DateTime, decryptField, isStaff } from '@greenpoints/common';
import type { UsersContext } from '../context.ts';
import { ageBandToApi, canSeeFullPhone, canSeeUser, maskPhone } from '../domain/visibility.ts';
import type { HouseholdRow, UserRow } from '../repositories/usersRepository.ts';

async function viewerOf(ctx: UsersContext): Promise<UserRow | null> {
  return ctx.principal.sub ? ctx.loaders.user.load(ctx.principal.sub) : null;
}

/** Loads a user and returns it only when the caller may see it; otherwise it does not exist for them. */
async function visibleUser(ctx: UsersContext, id: string): Promise<UserRow | null> {
  const [target, viewer] = await Promise.all([ctx.loaders.user.load(id), viewerOf(ctx)]);
  return target && canSeeUser(ctx.principal, viewer, target) ? target : null;
}

async function visibleHousehold(ctx: UsersContext, id: string): Promise<HouseholdRow | null> {
  const [household, viewer] = await Promise.all([ctx.loaders.household.load(id), viewerOf(ctx)]);
  if (!household) return null;
  return isStaff(ctx.principal) || viewer?.householdId === household.id ? household : null;
}

export const resolvers = {
  DateTime,
  Query: {
    me: (_: unknown, __: unknown, ctx: UsersContext) => (ctx.principal.role === 'consumer' ? viewerOf(ctx) : null),
    user: (_: unknown, args: { id: string }, ctx: UsersContext) => visibleUser(ctx, args.id),
    household: (_: unknown, args: { id: string }, ctx: UsersContext) => visibleHousehold(ctx, args.id),
  },
  User: {
    // The gateway asks for users by reference when another subgraph returns one; the same rules apply.
    __resolveReference: (ref: { id: string }, ctx: UsersContext) => visibleUser(ctx, ref.id),
    phone: (user: UserRow, _: unknown, ctx: UsersContext) => {
      if (!user.phoneEncrypted) return null;
      const phone = decryptField(user.phoneEncrypted, ctx.piiKey);
      return canSeeFullPhone(ctx.principal, user.id) ? phone : maskPhone(phone);
    },
    ageBand: (user: UserRow) => ageBandToApi(user.ageBand),
    household: (user: UserRow, _: unknown, ctx: UsersContext) =>
      user.householdId ? ctx.loaders.household.load(user.householdId) : null,
  },
  Household: {
    __resolveReference: (ref: { id: string }, ctx: UsersContext) => visibleHousehold(ctx, ref.id),
    owner: (h: HouseholdRow, _: unknown, ctx: UsersContext) => ctx.loaders.user.load(h.ownerId),
    members: (h: HouseholdRow, _: unknown, ctx: UsersContext) => ctx.loaders.householdMembers.load(h.id),
  },
};
