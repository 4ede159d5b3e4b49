import { randomUUID } from 'node:crypto';
import { inState, type Executor } from '@greenpoints/db';
import { householdInvitations, users, usersEvents, usersOutbox } from '@greenpoints/db/schema/users';
import { erasePersonalFields, publish } from '@greenpoints/events';
import { and, eq } from 'drizzle-orm';
import { usersError } from '../errors.ts';
import { leaveHousehold } from './households.ts';

/** What an erased user's name reads as: a placeholder, not anyone's name. */
export const ERASED_DISPLAY_NAME = 'Deleted user';

export type UserStatus = 'ACTIVE' | 'FROZEN' | 'ERASED';

export interface RegisterUserInput {
  id?: string;
  displayName: string;
  /** Already encrypted (AES-256-GCM); personal information is never handled in clear here. */
  phoneEncrypted: string | null;
  /** Keyed hash of the normalised phone (common `blindIndex`); unique across users. */
  phoneHash?: string | null;
  ageBand: '18_59' | 'UNDER_18' | '60_PLUS';
  registeredAt?: Date;
}

/** The constraint a unique violation names, whichever driver (postgres.js, PGlite) raised it. */
export function violatedUnique(error: unknown): string | null {
  for (let e = error as { code?: unknown; cause?: unknown; constraint_name?: unknown; constraint?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (e.code === '23505') return String(e.constraint_name ?? e.constraint ?? '');
    e = e.cause as typeof e;
  }
  return null;
}

/** Maps the unique indexes of users.users to the codes a client reads. */
export async function mappingUniqueViolations<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const constraint = violatedUnique(error);
    if (constraint === 'users_phone_hash_key') throw usersError('PHONE_TAKEN', 'This phone number belongs to another account');
    if (constraint === 'users_pkey') throw usersError('ALREADY_REGISTERED', 'This account is already registered');
    throw error;
  }
}

/** Registers a user and publishes UserRegistered in the same transaction. */
export async function registerUser(db: Executor, input: RegisterUserInput): Promise<string> {
  const id = input.id ?? randomUUID();
  const registeredAt = input.registeredAt ?? new Date();
  if (input.displayName.length < 1 || input.displayName.length > 100) throw usersError('BAD_USER_INPUT', 'displayName must be 1–100 characters');
  await mappingUniqueViolations(() =>
    db.transaction(async (tx) => {
      const { displayName, phoneEncrypted, ageBand } = input;
      const phoneHash = input.phoneHash ?? null;
      await tx.insert(users).values({ id, displayName, phoneEncrypted, phoneHash, ageBand, registeredAt });
      await publish(tx, usersOutbox, 'UserRegistered', { userId: id, status: 'ACTIVE', registeredAt: registeredAt.toISOString(), ageBand }, registeredAt);
    }),
  );
  return id;
}

/**
 * Locks the user row, so two changes to one user commit (and are published) one after the other:
 * outbox positions of one aggregate then follow the order of its changes.
 */
export async function lockUser(tx: Executor, userId: string) {
  const [row] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  if (!row) throw usersError('NOT_FOUND', 'No such user', { userId });
  return row;
}

export interface ProfileChange {
  displayName?: string;
  phoneEncrypted?: string;
  phoneHash?: string;
  ageBand?: '18_59' | 'UNDER_18' | '60_PLUS';
}

/**
 * Changes a user's own profile. Name and phone never travel; a changed age band is published
 * (UserAgeBandChanged, in the same transaction), since promotions may be for an age band.
 */
export async function updateProfile(db: Executor, userId: string, change: ProfileChange): Promise<void> {
  await mappingUniqueViolations(() =>
    db.transaction(async (tx) => {
      const row = await lockUser(tx, userId);
      if (row.status === 'ERASED') throw usersError('USER_ERASED', 'This account was deleted', { userId });
      if (Object.keys(change).length > 0) await tx.update(users).set(change).where(eq(users.id, userId));
      if (change.ageBand !== undefined && change.ageBand !== row.ageBand) {
        await publish(tx, usersOutbox, 'UserAgeBandChanged', { userId, ageBand: change.ageBand });
      }
    }),
  );
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
 * Deletion as PIPL asks: personal fields are erased (name replaced by a placeholder, phone and age
 * band removed), the pseudonymous id stays so the ledger stays whole. The user leaves their
 * household first (HouseholdMemberLeft; an owner's household passes on), pending invitations to them
 * lapse, and UserDeleted is published. The age band is erased from the person's events in the
 * outbox too (delivered or not; rows and ids stay); the ledger erases its copies when it applies
 * UserDeleted. The consent history stays: it holds no personal data and is the record of what was agreed.
 */
export async function deleteUser(db: Executor, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    // Leaving takes the household's lock before the user's (the global lock order), so it comes first.
    await leaveHousehold(tx, userId);
    const row = await lockUser(tx, userId);
    if (row.status === 'ERASED') return;
    await tx
      .update(householdInvitations)
      .set({ status: 'CANCELLED', respondedAt: new Date() })
      .where(and(eq(householdInvitations.inviteeId, userId), inState(householdInvitations.status, 'PENDING')));
    await tx.update(users).set({ status: 'ERASED', displayName: ERASED_DISPLAY_NAME, phoneEncrypted: null, phoneHash: null, ageBand: null, householdId: null }).where(eq(users.id, userId));
    await publish(tx, usersOutbox, 'UserDeleted', { userId });
    await erasePersonalFields(tx, usersEvents, userId);
  });
}
