import { decryptField, isSelfOrStaff } from '@greenpoints/common';
import type { UsersContext } from '../context.ts';
import { ageBandToApi } from '../domain/visibility.ts';
import { usersError } from '../errors.ts';

/**
 * The users subgraph's part of a person's data export (PIPL right of access): the profile with the
 * phone number in full, the household and its members' display names, pending invitations and the
 * whole consent history. Only the person themself, or staff, may have it.
 */
export async function profileExport(ctx: UsersContext, userId: string) {
  if (!isSelfOrStaff(ctx.principal, userId)) throw usersError('FORBIDDEN', "You may not export another user's data");
  const user = await ctx.loaders.user.load(userId);
  if (!user) throw usersError('NOT_REGISTERED', 'There is no profile for this account');
  const household = user.householdId ? await ctx.loaders.household.load(user.householdId) : null;
  const members = household ? await ctx.loaders.householdMembers.load(household.id) : [];
  return {
    profile: {
      id: user.id,
      displayName: user.displayName,
      phone: user.phoneEncrypted ? decryptField(user.phoneEncrypted, ctx.piiKeys) : null,
      ageBand: user.ageBand ? ageBandToApi(user.ageBand) : null,
      status: user.status,
      registeredAt: user.registeredAt,
    },
    household: household
      ? { id: household.id, name: household.name, ownerId: household.ownerId, members: members.map((m) => ({ id: m.id, displayName: m.displayName })) }
      : null,
    invitations: await ctx.loaders.invitationsOfUser.load(userId),
    consentHistory: await ctx.loaders.consentHistory.load(userId),
  };
}
