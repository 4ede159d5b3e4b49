import { groupLoader, isUuid, rowLoader } from '@greenpoints/common';
import type { UsersRepository } from './repositories/usersRepository.ts';

/** Built per request, so nothing is cached across callers. */
export function createLoaders(repo: UsersRepository) {
  return {
    user: rowLoader((ids) => repo.usersByIds(ids), (r) => r.id, isUuid),
    household: rowLoader((ids) => repo.householdsByIds(ids), (r) => r.id, isUuid),
    householdMembers: groupLoader((ids) => repo.membersOfHouseholds(ids), (r) => r.householdId),
    householdInvitations: groupLoader((ids) => repo.pendingInvitationsOfHouseholds(ids), (r) => r.householdId),
    consentHistory: groupLoader((ids) => repo.consentsOfUsers(ids), (r) => r.userId),
    invitationsOfUser: groupLoader((ids) => repo.pendingInvitationsOfUsers(ids), (r) => r.inviteeId),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
