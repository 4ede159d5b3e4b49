import type { Executor } from '@greenpoints/db';
import { fraudCases, userCopies } from '@greenpoints/db/schema/ledger';
import { and, eq, inArray } from 'drizzle-orm';
import { LedgerError } from '../errors.ts';

/** The ledger's copy of a user (from the users events): refuses users it does not know or who are not active. */
export async function activeUser(tx: Executor, userId: string) {
  const [user] = await tx.select().from(userCopies).where(eq(userCopies.userId, userId));
  if (!user || user.status === 'ERASED') throw new LedgerError('UNKNOWN_USER', 'No such user', { field: 'userId' });
  if (user.status !== 'ACTIVE') throw new LedgerError('USER_NOT_ACTIVE', 'The user cannot use points now', { field: 'userId' });
  return user;
}

/** A frozen account (an open or confirmed fraud case that froze it) may not redeem or transfer; it still earns. */
export async function refuseIfFrozen(tx: Executor, userId: string): Promise<void> {
  const [frozen] = await tx
    .select({ id: fraudCases.id })
    .from(fraudCases)
    .where(and(eq(fraudCases.userId, userId), eq(fraudCases.frozen, true), inArray(fraudCases.status, ['OPEN', 'CONFIRMED'])))
    .limit(1);
  if (frozen) throw new LedgerError('ACCOUNT_FROZEN', 'This account is frozen while a fraud case is open; earning continues');
}

/** The household of a user, or NOT_HOUSEHOLD_MEMBER. */
export async function householdOf(tx: Executor, userId: string): Promise<string> {
  const user = await activeUser(tx, userId);
  if (!user.householdId) throw new LedgerError('NOT_HOUSEHOLD_MEMBER', 'You are not in a household');
  return user.householdId;
}
