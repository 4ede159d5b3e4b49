import { canonicalId, isUuid } from '@greenpoints/common';
import type { UsersContext } from '../context.ts';
import { normaliseHouseholdName } from '../domain/profile.ts';
import { usersError } from '../errors.ts';
import { acceptHouseholdInvite, declineHouseholdInvite, inviteToHousehold } from '../operations/householdInvites.ts';
import { createHousehold, leaveHousehold, removeHouseholdMember, transferHouseholdOwnership } from '../operations/households.ts';
import { callerId } from './profileMutations.ts';

/** An id argument in its canonical form; anything that is not a UUID is refused before SQL. */
function idArg(value: string, name: string): string {
  if (!isUuid(value)) throw usersError('BAD_USER_INPUT', `${name} is not an id`, { argument: name });
  return canonicalId(value);
}

/** The caller, registered and not erased. */
async function registeredCaller(ctx: UsersContext) {
  const id = callerId(ctx);
  const row = await ctx.loaders.user.load(id);
  if (!row) throw usersError('NOT_REGISTERED', 'Register before using households');
  if (row.status === 'ERASED') throw usersError('USER_ERASED', 'This account was deleted');
  return row;
}

/** Fresh rows after a write: the request's loaders may hold what was read before it. */
function reloadHousehold(ctx: UsersContext, id: string) {
  ctx.loaders.householdMembers.clear(id);
  ctx.loaders.householdInvitations.clear(id);
  return ctx.loaders.household.clear(id).load(id);
}
const reloadUser = (ctx: UsersContext, id: string) => ctx.loaders.user.clear(id).load(id);

type HouseholdArgs = { householdId: string };
type MemberArgs = { householdId: string; userId: string };

export const householdMutations = {
  createHousehold: async (_: unknown, args: { name: string }, ctx: UsersContext) => {
    const caller = await registeredCaller(ctx);
    const name = normaliseHouseholdName(args.name);
    if (caller.householdId) throw usersError('ALREADY_IN_HOUSEHOLD', 'Leave your household before creating another');
    const id = await createHousehold(ctx.db, { name, ownerId: caller.id, maxMembers: ctx.householdMaxMembers });
    ctx.loaders.user.clear(caller.id);
    return reloadHousehold(ctx, id);
  },

  inviteToHousehold: async (_: unknown, args: MemberArgs, ctx: UsersContext) => {
    const householdId = idArg(args.householdId, 'householdId');
    const inviteeId = idArg(args.userId, 'userId');
    const caller = await registeredCaller(ctx);
    await inviteToHousehold(ctx.db, householdId, caller.id, inviteeId);
    return reloadHousehold(ctx, householdId);
  },

  acceptHouseholdInvite: async (_: unknown, args: HouseholdArgs, ctx: UsersContext) => {
    const householdId = idArg(args.householdId, 'householdId');
    const caller = await registeredCaller(ctx);
    await acceptHouseholdInvite(ctx.db, householdId, caller.id);
    await reloadUser(ctx, caller.id);
    return reloadHousehold(ctx, householdId);
  },

  declineHouseholdInvite: async (_: unknown, args: HouseholdArgs, ctx: UsersContext) => {
    const householdId = idArg(args.householdId, 'householdId');
    const caller = await registeredCaller(ctx);
    await declineHouseholdInvite(ctx.db, householdId, caller.id);
    ctx.loaders.invitationsOfUser.clear(caller.id);
    return reloadUser(ctx, caller.id);
  },

  leaveHousehold: async (_: unknown, __: unknown, ctx: UsersContext) => {
    const caller = await registeredCaller(ctx);
    await leaveHousehold(ctx.db, caller.id);
    return reloadUser(ctx, caller.id);
  },

  removeHouseholdMember: async (_: unknown, args: MemberArgs, ctx: UsersContext) => {
    const householdId = idArg(args.householdId, 'householdId');
    const memberId = idArg(args.userId, 'userId');
    const caller = await registeredCaller(ctx);
    await removeHouseholdMember(ctx.db, householdId, caller.id, memberId);
    return reloadHousehold(ctx, householdId);
  },

  transferHouseholdOwnership: async (_: unknown, args: MemberArgs, ctx: UsersContext) => {
    const householdId = idArg(args.householdId, 'householdId');
    const newOwnerId = idArg(args.userId, 'userId');
    const caller = await registeredCaller(ctx);
    await transferHouseholdOwnership(ctx.db, householdId, caller.id, newOwnerId);
    return reloadHousehold(ctx, householdId);
  },
};
