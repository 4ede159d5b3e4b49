import { randomUUID } from 'node:crypto';
import { accounts } from '@greenpoints/db/schema/ledger';
import type { Handler } from '@greenpoints/events';
import { and, eq } from 'drizzle-orm';
import { accountKey, userAccount, type AccountRef } from '../domain/postings.ts';
import { DISSOLVED_SCOPE } from '../operations/dissolvedHouseholds.ts';
import { runOperation } from '../operations/operationLog.ts';
import { insertTransaction, lockAccounts, moveLots } from '../repositories/accountsRepository.ts';

/**
 * A household dissolved when its last member left (or deleted their account): its pool's points are
 * no one else's, and points belong to the consumer, so they go to that last member's own account,
 * each lot with its own dates (no extension, lapsed ones included for the expiry run to sweep as it
 * would have). Through the operation log (DISSOLVED_SCOPE, keyed by the household), so a redelivery
 * or a replay moves nothing twice, and so points that come back to the pool later (a redemption
 * from it voided or cancelled) find their way to the same member (heirOfPool). A household that
 * never had a pool writes nothing.
 */
export const onHouseholdDissolved: Handler<'HouseholdDissolved'> = async (tx, event) => {
  const { householdId, lastMemberId } = event.payload;
  const [pool] = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.kind, 'HOUSEHOLD_POOL'), eq(accounts.ownerId, householdId), eq(accounts.asset, 'POINTS')));
  if (!pool) return;
  const now = new Date();
  await runOperation(
    tx,
    { scope: DISSOLVED_SCOPE, key: householdId, actor: 'service:users', request: { householdId, lastMemberId } },
    async (otx, operationId) => {
      const from: AccountRef = { kind: 'HOUSEHOLD_POOL', ownerId: householdId, asset: 'POINTS' };
      const to = userAccount(lastMemberId, 'POINTS');
      const locked = await lockAccounts(otx, [from, to]);
      const source = locked.get(accountKey(from))!;
      if (source.balance <= 0) return { lastMemberId, points: 0 };
      const transactionId = randomUUID();
      await insertTransaction(otx, {
        id: transactionId,
        operationId,
        type: 'TRANSFER',
        userId: lastMemberId,
        description: 'Household dissolved: its pool returned to its last member',
        metadata: { householdId },
        createdAt: now,
      });
      const points = await moveLots(otx, locked, from, to, source.balance, transactionId, { now, includePending: true, includeLapsed: true, partial: true });
      return { lastMemberId, points };
    },
    async (_otx, result) => result,
    now,
  );
};
