import { randomUUID } from 'node:crypto';
import { inState, type Executor } from '@greenpoints/db';
import { householdInvitations, users, usersOutbox } from '@greenpoints/db/schema/users';
import { publish } from '@greenpoints/events';
import { and, count, eq } from 'drizzle-orm';
import { usersError } from '../errors.ts';
import { joinHousehold, lockHousehold } from './households.ts';

/**
 * The owner invites a registered user. Inviting someone already invited is a no-op; inviting a
 * member, or into a full household, is refused. The invitee may be in another household: they must
 * leave it before accepting.
 */
export async function inviteToHousehold(db: Executor, householdId: string, ownerId: string, inviteeId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const household = await lockHousehold(tx, householdId);
    if (household.ownerId !== ownerId) throw usersError('NOT_HOUSEHOLD_OWNER', 'Only the owner may invite', { householdId });
    const [invitee] = await tx.select().from(users).where(eq(users.id, inviteeId));
    if (!invitee || invitee.status === 'ERASED') throw usersError('NOT_FOUND', 'No such user', { userId: inviteeId });
    if (invitee.householdId === householdId) throw usersError('ALREADY_IN_HOUSEHOLD', 'Already a member of this household', { userId: inviteeId });
    const [members] = await tx.select({ n: count() }).from(users).where(eq(users.householdId, householdId));
    if ((members?.n ?? 0) >= household.maxMembers) throw usersError('HOUSEHOLD_FULL', 'The household is full', { householdId, maxMembers: household.maxMembers });
    const pending = await tx.select({ id: householdInvitations.id }).from(householdInvitations).where(and(eq(householdInvitations.householdId, householdId), eq(householdInvitations.inviteeId, inviteeId), inState(householdInvitations.status, 'PENDING')));
    if (pending.length > 0) return;
    await tx.insert(householdInvitations).values({ id: randomUUID(), householdId, inviteeId, invitedBy: ownerId });
    await publish(tx, usersOutbox, 'HouseholdInviteSent', { householdId, inviteeId, invitedBy: ownerId });
  });
}

/** Locks the caller's pending invitation to a household, after the household (the global lock order). */
async function lockPendingInvitation(tx: Executor, householdId: string, inviteeId: string) {
  const [invitation] = await tx
    .select()
    .from(householdInvitations)
    .where(and(eq(householdInvitations.householdId, householdId), eq(householdInvitations.inviteeId, inviteeId), inState(householdInvitations.status, 'PENDING')))
    .for('update');
  if (!invitation) throw usersError('NO_INVITATION', 'You have no pending invitation to this household', { householdId });
  return invitation;
}

async function householdOrNoInvitation(tx: Executor, householdId: string) {
  try {
    return await lockHousehold(tx, householdId);
  } catch {
    // A household that does not exist (or went away) holds no invitation for anyone.
    throw usersError('NO_INVITATION', 'You have no pending invitation to this household', { householdId });
  }
}

/**
 * Accepts an invitation: joins under the household's lock, so accepts racing for the last seat are
 * taken one after the other and never exceed the cap (the late ones get HOUSEHOLD_FULL and keep
 * their invitation).
 */
export async function acceptHouseholdInvite(db: Executor, householdId: string, inviteeId: string, at: Date = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    await householdOrNoInvitation(tx, householdId);
    const invitation = await lockPendingInvitation(tx, householdId, inviteeId);
    await joinHousehold(tx, householdId, inviteeId, at);
    await tx.update(householdInvitations).set({ status: 'ACCEPTED', respondedAt: at }).where(eq(householdInvitations.id, invitation.id));
  });
}

export async function declineHouseholdInvite(db: Executor, householdId: string, inviteeId: string, at: Date = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    await householdOrNoInvitation(tx, householdId);
    const invitation = await lockPendingInvitation(tx, householdId, inviteeId);
    await tx.update(householdInvitations).set({ status: 'DECLINED', respondedAt: at }).where(eq(householdInvitations.id, invitation.id));
    await publish(tx, usersOutbox, 'HouseholdInviteDeclined', { householdId, inviteeId }, at);
  });
}
