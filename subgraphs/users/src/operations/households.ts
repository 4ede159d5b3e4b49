import { randomUUID } from 'node:crypto';
import { inState, type Executor } from '@greenpoints/db';
import { householdInvitations, households, users, usersOutbox } from '@greenpoints/db/schema/users';
import { publish } from '@greenpoints/events';
import { and, asc, count, eq, ne } from 'drizzle-orm';
import { usersError } from '../errors.ts';

/** The size cap a new household gets unless the service is configured otherwise. */
export const DEFAULT_HOUSEHOLD_MAX_MEMBERS = 6;

export interface CreateHouseholdInput {
  id?: string;
  name: string;
  ownerId: string;
  maxMembers?: number;
  createdAt?: Date;
}

/*
 * Locks are always taken in one order — the household row, then user rows — so two operations on
 * one household never deadlock, and every check of membership or size is made under the lock.
 */
export async function lockHousehold(tx: Executor, householdId: string) {
  const [household] = await tx.select().from(households).where(eq(households.id, householdId)).for('update');
  if (!household) throw usersError('NOT_FOUND', 'No such household', { householdId });
  return household;
}

export async function lockLiveUser(tx: Executor, userId: string) {
  const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  if (!user || user.status === 'ERASED') throw usersError('NOT_FOUND', 'No such user', { userId });
  return user;
}

/** Creates a household and makes its owner the first member (HouseholdCreated, HouseholdMemberJoined). */
export async function createHousehold(db: Executor, input: CreateHouseholdInput): Promise<string> {
  const id = input.id ?? randomUUID();
  const maxMembers = input.maxMembers ?? DEFAULT_HOUSEHOLD_MAX_MEMBERS;
  const createdAt = input.createdAt ?? new Date();
  await db.transaction(async (tx) => {
    await tx.insert(households).values({ id, name: input.name, ownerId: input.ownerId, maxMembers, createdAt });
    await publish(tx, usersOutbox, 'HouseholdCreated', { householdId: id, ownerId: input.ownerId, maxMembers }, createdAt);
    await joinHousehold(tx, id, input.ownerId, createdAt);
  });
  return id;
}

/** A user is in at most one household, and a household never holds more than its cap. */
export async function joinHousehold(db: Executor, householdId: string, userId: string, at: Date = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const household = await lockHousehold(tx, householdId);
    const user = await lockLiveUser(tx, userId);
    if (user.householdId === householdId) return;
    if (user.householdId) throw usersError('ALREADY_IN_HOUSEHOLD', 'Leave your household before joining another', { userId });
    const [members] = await tx.select({ n: count() }).from(users).where(eq(users.householdId, householdId));
    if ((members?.n ?? 0) >= household.maxMembers) throw usersError('HOUSEHOLD_FULL', 'The household is full', { householdId, maxMembers: household.maxMembers });
    await tx.update(users).set({ householdId }).where(eq(users.id, userId));
    // Someone in a household can accept no other invitation: those still pending lapse.
    await tx
      .update(householdInvitations)
      .set({ status: 'CANCELLED', respondedAt: at })
      .where(and(eq(householdInvitations.inviteeId, userId), inState(householdInvitations.status, 'PENDING'), ne(householdInvitations.householdId, householdId)));
    await publish(tx, usersOutbox, 'HouseholdMemberJoined', { householdId, userId }, at);
  });
}

/**
 * Takes a member out of their household. When the owner leaves, ownership passes to the member who
 * registered first (published); when the last member leaves, the household and its pending
 * invitations are removed.
 */
export async function leaveHousehold(db: Executor, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [peek] = await tx.select({ householdId: users.householdId }).from(users).where(eq(users.id, userId));
    if (!peek) throw usersError('NOT_FOUND', 'No such user', { userId });
    if (!peek.householdId) return;
    const household = await lockHousehold(tx, peek.householdId);
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    // Re-read under the lock: a concurrent change may have moved the user already.
    if (user?.householdId !== household.id) return;
    await tx.update(users).set({ householdId: null }).where(eq(users.id, userId));
    await publish(tx, usersOutbox, 'HouseholdMemberLeft', { householdId: household.id, userId });
    if (household.ownerId !== userId) return;
    const [heir] = await tx.select().from(users).where(and(eq(users.householdId, household.id), ne(users.id, userId))).orderBy(asc(users.registeredAt), asc(users.id)).limit(1);
    if (heir) {
      await tx.update(households).set({ ownerId: heir.id }).where(eq(households.id, household.id));
      await publish(tx, usersOutbox, 'HouseholdOwnershipTransferred', { householdId: household.id, ownerId: heir.id, previousOwnerId: userId });
    } else {
      await tx.delete(households).where(eq(households.id, household.id));
      // Its pool is no one's now but theirs: the ledger hands it to the last member.
      await publish(tx, usersOutbox, 'HouseholdDissolved', { householdId: household.id, lastMemberId: userId });
    }
  });
}

async function requireOwner(tx: Executor, householdId: string, callerId: string) {
  const household = await lockHousehold(tx, householdId);
  if (household.ownerId !== callerId) throw usersError('NOT_HOUSEHOLD_OWNER', 'Only the owner may do this', { householdId });
  return household;
}

async function lockMember(tx: Executor, householdId: string, userId: string) {
  const [member] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  if (member?.householdId !== householdId) throw usersError('NOT_HOUSEHOLD_MEMBER', 'Not a member of this household', { householdId, userId });
  return member;
}

/** The owner takes a member out (not themself: an owner leaves with leaveHousehold). */
export async function removeHouseholdMember(db: Executor, householdId: string, ownerId: string, memberId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await requireOwner(tx, householdId, ownerId);
    if (memberId === ownerId) throw usersError('BAD_USER_INPUT', 'An owner leaves with leaveHousehold', { householdId });
    await lockMember(tx, householdId, memberId);
    await tx.update(users).set({ householdId: null }).where(eq(users.id, memberId));
    await publish(tx, usersOutbox, 'HouseholdMemberLeft', { householdId, userId: memberId });
  });
}

export async function transferHouseholdOwnership(db: Executor, householdId: string, ownerId: string, newOwnerId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await requireOwner(tx, householdId, ownerId);
    if (newOwnerId === ownerId) return;
    await lockMember(tx, householdId, newOwnerId);
    await tx.update(households).set({ ownerId: newOwnerId }).where(eq(households.id, householdId));
    await publish(tx, usersOutbox, 'HouseholdOwnershipTransferred', { householdId, ownerId: newOwnerId, previousOwnerId: ownerId });
  });
}
