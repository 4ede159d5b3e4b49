import { randomUUID } from 'node:crypto';
import { isUuid, type Principal } from '@greenpoints/common';
import type { Database, Executor } from '@greenpoints/db';
import { transactions } from '@greenpoints/db/schema/ledger';
import { eq } from 'drizzle-orm';
import type { AccountRef } from '../domain/postings.ts';
import { badInput, LedgerError } from '../errors.ts';
import { insertTransaction, lockAccounts, moveLots } from '../repositories/accountsRepository.ts';
import type { TransactionRow } from '../repositories/transactionsRepository.ts';
import { actorOf } from './actor.ts';
import { heirOfPool } from './dissolvedHouseholds.ts';
import { runOperation } from './operationLog.ts';
import { activeUser, householdOf, refuseIfFrozen } from './parties.ts';

const MAX_TRANSFER = 10_000_000;

function member(principal: Principal): string {
  if (principal.role !== 'consumer' || !principal.sub) throw new LedgerError('FORBIDDEN', 'Only a member moves their own points');
  return principal.sub;
}

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_TRANSFER) throw badInput('amount', `amount must be a whole number of points between 1 and ${MAX_TRANSFER}`);
}

/**
 * Moves points from one account to another inside one household: the points keep the dates of the
 * lots they left (no appreciation, no extension), first-expiring-first. Both accounts are locked in
 * id order, so transfers racing in both directions queue instead of deadlocking.
 */
async function moveWithinHousehold(
  db: Database,
  principal: Principal,
  scope: string,
  idempotencyKey: string,
  request: unknown,
  plan: (tx: Executor) => Promise<{ from: AccountRef; to: AccountRef; amount: number; userId: string; counterpartyId: string | null; description: string }>,
  now: Date,
): Promise<TransactionRow> {
  return runOperation(
    db,
    { scope, key: idempotencyKey, actor: actorOf(principal), request },
    async (tx, operationId) => {
      const p = await plan(tx);
      const locked = await lockAccounts(tx, [p.from, p.to]);
      // Checked under the pool's lock, which the dissolution takes too: a contribution never lands in
      // the pool of a household dissolved a moment before (the read model may not know it yet).
      if (p.to.kind === 'HOUSEHOLD_POOL' && (await heirOfPool(tx, p.to.ownerId))) {
        throw new LedgerError('NOT_HOUSEHOLD_MEMBER', 'This household no longer exists');
      }
      const transactionId = randomUUID();
      await insertTransaction(tx, { id: transactionId, operationId, type: 'TRANSFER', userId: p.userId, counterpartyId: p.counterpartyId, description: p.description, createdAt: now });
      await moveLots(tx, locked, p.from, p.to, p.amount, transactionId, { now });
      return { transactionId };
    },
    async (tx, result) => (await tx.select().from(transactions).where(eq(transactions.id, result.transactionId)))[0]!,
    now,
  );
}

/** Gives points to another member of one's household; NOT_HOUSEHOLD_MEMBER for anyone else. */
export function transferPoints(db: Database, principal: Principal, toUserId: string, amount: number, idempotencyKey: string, now = new Date()): Promise<TransactionRow> {
  const from = member(principal);
  if (!isUuid(toUserId)) throw badInput('toUserId', 'toUserId is not a valid id');
  if (toUserId === from) throw badInput('toUserId', 'A transfer needs another member');
  checkAmount(amount);
  return moveWithinHousehold(db, principal, `transfer:${from}`, idempotencyKey, { toUserId, amount }, async (tx) => {
    const household = await householdOf(tx, from);
    await refuseIfFrozen(tx, from);
    const to = await activeUser(tx, toUserId).catch(() => null);
    if (!to || to.householdId !== household) throw new LedgerError('NOT_HOUSEHOLD_MEMBER', 'Points move only between members of one household', { field: 'toUserId' });
    return {
      from: { kind: 'USER', ownerId: from, asset: 'POINTS' },
      to: { kind: 'USER', ownerId: toUserId, asset: 'POINTS' },
      amount,
      userId: from,
      counterpartyId: toUserId,
      description: 'Transfer within the household',
    };
  }, now);
}

/** Puts points into one's household pool, from which any member may redeem. */
export function contributeToHousehold(db: Database, principal: Principal, amount: number, idempotencyKey: string, now = new Date()): Promise<TransactionRow> {
  const from = member(principal);
  checkAmount(amount);
  return moveWithinHousehold(db, principal, `contribute:${from}`, idempotencyKey, { amount }, async (tx) => {
    const household = await householdOf(tx, from);
    await refuseIfFrozen(tx, from);
    return {
      from: { kind: 'USER', ownerId: from, asset: 'POINTS' },
      to: { kind: 'HOUSEHOLD_POOL', ownerId: household, asset: 'POINTS' },
      amount,
      userId: from,
      counterpartyId: null,
      description: 'Contribution to the household pool',
    };
  }, now);
}
