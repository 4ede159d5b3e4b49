import type { Executor } from '@greenpoints/db';
import { households, users } from '@greenpoints/db/schema/users';
import { inArray } from 'drizzle-orm';

export type UserRow = typeof users.$inferSelect;
export type HouseholdRow = typeof households.$inferSelect;

export function createUsersRepository(db: Executor) {
  return {
    usersByIds: (ids: readonly string[]) => db.select().from(users).where(inArray(users.id, [...ids])),
    householdsByIds: (ids: readonly string[]) => db.select().from(households).where(inArray(households.id, [...ids])),
    membersOfHouseholds: (ids: readonly string[]) =>
      db.select().from(users).where(inArray(users.householdId, [...ids])).orderBy(users.registeredAt, users.id),
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
