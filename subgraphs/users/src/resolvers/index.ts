import { DateTime, decryptField, isSelfOrStaff, JSONScalar } from '@greenpoints/common';
import { profileExport } from '../export/profileExport.ts';
import { usersError } from '../errors.ts';
import type { UsersContext } from '../context.ts';
import { currentConsents } from '../domain/consents.ts';
import { ageBandToApi, canSeeFullPhone, maskPhone } from '../domain/visibility.ts';
import type { HouseholdRow, InvitationRow } from '../repositories/usersRepository.ts';
import { consentMutations } from './consentMutations.ts';
import { householdMutations } from './householdMutations.ts';
import { profileMutations } from './profileMutations.ts';
import { isHidden, personal, sharesWithPartners, userForQuery, userOrStub, viewerOf, visibleHousehold, visibleMembers, type UserParent } from './visible.ts';

export const resolvers = {
  DateTime,
  JSON: JSONScalar,
  Query: {
    // The caller's own export; the other subgraphs add their parts to the same DataExport entity.
    exportMyData: (_: unknown, __: unknown, ctx: UsersContext) => {
      if (ctx.principal.role !== 'consumer' || !ctx.principal.sub) throw usersError('FORBIDDEN', 'Only a person may export their own data');
      return { userId: ctx.principal.sub, generatedAt: new Date() };
    },
    me: (_: unknown, __: unknown, ctx: UsersContext) => (ctx.principal.role === 'consumer' ? viewerOf(ctx) : null),
    user: (_: unknown, args: { id: string }, ctx: UsersContext) => userForQuery(ctx, args.id),
    household: (_: unknown, args: { id: string }, ctx: UsersContext) => visibleHousehold(ctx, args.id),
  },
  DataExport: {
    profile: (ref: { userId: string }, _: unknown, ctx: UsersContext) => profileExport(ctx, ref.userId),
  },
  Mutation: {
    ...profileMutations,
    ...householdMutations,
    ...consentMutations,
  },
  User: {
    // The gateway asks for users by reference when another subgraph returns one (often in a `User!`
    // position): the same rules apply, and a user the caller may not see comes back as a stub.
    __resolveReference: (ref: { id: string }, ctx: UsersContext) => userOrStub(ctx, ref.id),
    displayName: personal((user) => user.displayName),
    phone: personal((user, ctx) => {
      if (!user.phoneEncrypted) return null;
      const phone = decryptField(user.phoneEncrypted, ctx.piiKeys);
      return canSeeFullPhone(ctx.principal, user.id) ? phone : maskPhone(phone);
    }),
    ageBand: personal((user) => ageBandToApi(user.ageBand)),
    status: personal((user) => user.status),
    registeredAt: personal((user) => user.registeredAt),
    household: personal((user, ctx) => (user.householdId ? visibleHousehold(ctx, user.householdId) : null)),
    consents: personal(async (user, ctx) => (isSelfOrStaff(ctx.principal, user.id) ? currentConsents(await ctx.loaders.consentHistory.load(user.id)) : [])),
    consentHistory: personal((user, ctx) => (isSelfOrStaff(ctx.principal, user.id) ? ctx.loaders.consentHistory.load(user.id) : [])),
    householdInvitations: personal((user, ctx) => (isSelfOrStaff(ctx.principal, user.id) ? ctx.loaders.invitationsOfUser.load(user.id) : [])),
    // Consent is the users subgraph's to judge; the ledger trusts this answer, which reaches it only
    // through the gateway's plan (no client can send an entity representation).
    sharedWithPartner: (user: UserParent, _: unknown, ctx: UsersContext) => ctx.principal.role === 'partner' && !isHidden(user) && sharesWithPartners(ctx, user),
  },
  Household: {
    __resolveReference: (ref: { id: string }, ctx: UsersContext) => visibleHousehold(ctx, ref.id),
    owner: (h: HouseholdRow, _: unknown, ctx: UsersContext) => userOrStub(ctx, h.ownerId),
    members: (h: HouseholdRow, _: unknown, ctx: UsersContext) => visibleMembers(ctx, h.id),
    invitations: (h: HouseholdRow, _: unknown, ctx: UsersContext) => ctx.loaders.householdInvitations.load(h.id),
  },
  HouseholdInvitation: {
    householdName: async (i: InvitationRow, _: unknown, ctx: UsersContext) => (await ctx.loaders.household.load(i.householdId))?.name ?? '',
    invitee: (i: InvitationRow, _: unknown, ctx: UsersContext) => userOrStub(ctx, i.inviteeId),
    invitedBy: (i: InvitationRow, _: unknown, ctx: UsersContext) => userOrStub(ctx, i.invitedBy),
  },
};
