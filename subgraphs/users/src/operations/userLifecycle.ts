import { randomUUID } from 'node:crypto';
import type { Executor } from '@greenpoints/db';
import { users, usersOutbox } from '@greenpoints/db/schema/users';
import { publish } from '@greenpoints/events';
import { eq } from 'drizzle-orm';
import { usersError } from '../errors.ts';

export type UserStatus = 'ACTIVE' | 'FROZEN' | 'ERASED';

export interface RegisterUserInput {
  id?: string;
  displayName: string;
  /** Already encrypted (AES-256-GCM); personal information is never handled in clear here. */
  phoneEncrypted: string | null;
  ageBand: '18_59' | 'UNDER_18' | '60_PLUS';
  registeredAt?: Date;
}

/** Registers a user and publishes UserRegistered in the same transaction. */
export async function registerUser(db: Executor, input: RegisterUserInput): Promise<string> {
  const id = input.id ?? randomUUID();
  const registeredAt = input.registeredAt ?? new Date();
  if (input.displayName.length < 1 || input.displayName.length > 100) throw usersError('BAD_USER_INPUT', 'displayName must be 1–100 characters');
  await db.transaction(async (tx) => {
    await tx.insert(users).values({ id, displayName: input.displayName, phoneEncrypted: input.phoneEncrypted, ageBand: input.ageBand, registeredAt });
    await publish(tx, usersOutbox, 'UserRegistered', { userId: id, status: 'ACTIVE', registeredAt: registeredAt.toISOString() }, registeredAt);
  });
  return id;
}

/**
 * Locks the user row, so two changes to one user commit (and are published) one after the other:
 * outbox positions of one aggregate then follow the order of its changes.
 */
async function lockUser(tx: Executor, userId: string) {
  const [row] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  if (!row) throw usersError('NOT_FOUND', 'No such user', { userId });
  return row;
}

/** Freezes or reactivates a user; an erased user stays erased. */
export async function changeUserStatus(db: Executor, userId: string, status: Exclude<UserStatus, 'ERASED'>): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lockUser(tx, userId);
    if (row.status === 'ERASED') throw usersError('BAD_USER_INPUT', 'An erased user cannot change status', { userId });
    if (row.status === status) return;
    await tx.update(users).set({ status }).where(eq(users.id, userId));
    await publish(tx, usersOutbox, 'UserStatusChanged', { userId, status, previousStatus: row.status as UserStatus });
  });
}

/**
 * Deletion as PIPL asks: personal fields are erased, the pseudonymous id stays so the ledger stays
 * whole; the user leaves their household first (published as HouseholdMemberLeft).
 */
export async function deleteUser(db: Executor, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lockUser(tx, userId);
    if (row.status === 'ERASED') return;
    if (row.householdId) {
      await publish(tx, usersOutbox, 'HouseholdMemberLeft', { householdId: row.householdId, userId });
    }
    await tx.update(users).set({ status: 'ERASED', displayName: 'Deleted user', phoneEncrypted: null, householdId: null }).where(eq(users.id, userId));
    await publish(tx, usersOutbox, 'UserDeleted', { userId });
  });
}
