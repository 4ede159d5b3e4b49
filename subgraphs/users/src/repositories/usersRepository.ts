import { inIds, inState, prepared, type Executor } from '@greenpoints/db';
import { consents, householdInvitations, households, users } from '@greenpoints/db/schema/users';
import { and, desc, inArray } from 'drizzle-orm';

export type UserRow = typeof users.$inferSelect;
export type HouseholdRow = typeof households.$inferSelect;
export type InvitationRow = typeof householdInvitations.$inferSelect;
export type ConsentRow = typeof consents.$inferSelect;

// The reads every request makes, each built once (`prepared`); `ids` is one array parameter (`inIds`).
const usersById = prepared('users_by_id', (db) => db.select().from(users).where(inIds(users.id)));
const householdsById = prepared('households_by_id', (db) => db.select().from(households).where(inIds(households.id)));
const membersOf = prepared('household_members', (db) =>
  db.select().from(users).where(inIds(users.householdId)).orderBy(users.registeredAt, users.id),
);

export function createUsersRepository(db: Executor) {
  return {
    usersByIds: (ids: readonly string[]) => usersById(db, { ids: [...ids] }),
    householdsByIds: (ids: readonly string[]) => householdsById(db, { ids: [...ids] }),
    membersOfHouseholds: (ids: readonly string[]) => membersOf(db, { ids: [...ids] }),
    pendingInvitationsOfHouseholds: (ids: readonly string[]) =>
      db.select().from(householdInvitations).where(and(inArray(householdInvitations.householdId, [...ids]), inState(householdInvitations.status, 'PENDING'))).orderBy(householdInvitations.createdAt, householdInvitations.id),
    /** Each user's whole consent history, newest first. */
    consentsOfUsers: (ids: readonly string[]) => db.select().from(consents).where(inArray(consents.userId, [...ids])).orderBy(desc(consents.id)),
    pendingInvitationsOfUsers: (ids: readonly string[]) =>
      db.select().from(householdInvitations).where(and(inArray(householdInvitations.inviteeId, [...ids]), inState(householdInvitations.status, 'PENDING'))).orderBy(householdInvitations.createdAt, householdInvitations.id),
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
