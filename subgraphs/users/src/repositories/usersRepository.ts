import { inState, type Executor } from '@greenpoints/db';
import { consents, householdInvitations, households, users } from '@greenpoints/db/schema/users';
import { and, desc, inArray } from 'drizzle-orm';

export type UserRow = typeof users.$inferSelect;
export type HouseholdRow = typeof households.$inferSelect;
export type InvitationRow = typeof householdInvitations.$inferSelect;
export type ConsentRow = typeof consents.$inferSelect;

export function createUsersRepository(db: Executor) {
  return {
    usersByIds: (ids: readonly string[]) => db.select().from(users).where(inArray(users.id, [...ids])),
    householdsByIds: (ids: readonly string[]) => db.select().from(households).where(inArray(households.id, [...ids])),
    membersOfHouseholds: (ids: readonly string[]) =>
      db.select().from(users).where(inArray(users.householdId, [...ids])).orderBy(users.registeredAt, users.id),
    pendingInvitationsOfHouseholds: (ids: readonly string[]) =>
      db.select().from(householdInvitations).where(and(inArray(householdInvitations.householdId, [...ids]), inState(householdInvitations.status, 'PENDING'))).orderBy(householdInvitations.createdAt, householdInvitations.id),
    /** Each user's whole consent history, newest first. */
    consentsOfUsers: (ids: readonly string[]) => db.select().from(consents).where(inArray(consents.userId, [...ids])).orderBy(desc(consents.id)),
    pendingInvitationsOfUsers: (ids: readonly string[]) =>
      db.select().from(householdInvitations).where(and(inArray(householdInvitations.inviteeId, [...ids]), inState(householdInvitations.status, 'PENDING'))).orderBy(householdInvitations.createdAt, householdInvitations.id),
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
