import { randomUUID } from 'node:crypto';
import type { Executor } from '@greenpoints/db';
import { households, users, usersOutbox } from '@greenpoints/db/schema/users';
import { publish } from '@greenpoints/events';
import { count, eq } from 'drizzle-orm';
import { usersError } from '../errors.ts';

export interface CreateHouseholdInput {
  id?: string;
  name: string;
  ownerId: string;
  maxMembers?: number;
  createdAt?: Date;
}

/** Creates a household and makes its owner the first member (published as HouseholdMemberJoined). */
export async function createHousehold(db: Executor, input: CreateHouseholdInput): Promise<string> {
  const id = input.id ?? randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(households).values({
      id,
      name: input.name,
      ownerId: input.ownerId,
      maxMembers: input.maxMembers ?? 6,
      createdAt: input.createdAt ?? new Date(),
    });
    await joinHousehold(tx, id, input.ownerId, input.createdAt);
  });
  return id;
}

/** A user is in at most one household, and a household has a size cap. */
export async function joinHousehold(db: Executor, householdId: string, userId: string, at: Date = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const [household] = await tx.select().from(households).where(eq(households.id, householdId)).for('update');
    if (!household) throw usersError('NOT_FOUND', 'No such household', { householdId });
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user || user.status === 'ERASED') throw usersError('NOT_FOUND', 'No such user', { userId });
    if (user.householdId === householdId) return;
    if (user.householdId) throw usersError('BAD_USER_INPUT', 'The user is already in another household', { userId });
    const [members] = await tx.select({ n: count() }).from(users).where(eq(users.householdId, householdId));
    if ((members?.n ?? 0) >= household.maxMembers) throw usersError('BAD_USER_INPUT', 'The household is full', { householdId });
    await tx.update(users).set({ householdId }).where(eq(users.id, userId));
    await publish(tx, usersOutbox, 'HouseholdMemberJoined', { householdId, userId }, at);
  });
}

export async function leaveHousehold(db: Executor, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw usersError('NOT_FOUND', 'No such user', { userId });
    if (!user.householdId) return;
    await tx.update(users).set({ householdId: null }).where(eq(users.id, userId));
    await publish(tx, usersOutbox, 'HouseholdMemberLeft', { householdId: user.householdId, userId });
  });
}
