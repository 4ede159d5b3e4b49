import { randomUUID } from 'node:crypto';
import type { Principal } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { accounts, ledgerOutbox, lots } from '@greenpoints/db/schema/ledger';
import { publish } from '@greenpoints/events';
import { and, asc, gt, inArray, lte, sql } from 'drizzle-orm';
import { ALLIANCE, accountKey, move, type AccountRef, type Asset } from '../domain/postings.ts';
import { badInput, LedgerError } from '../errors.ts';
import { appendPostings, insertTransaction, lockAccounts, takeFromLots } from '../repositories/accountsRepository.ts';
import { actorOf } from './actor.ts';
import { runOperation } from './operationLog.ts';

/** Accounts expired per operation; a scheduled run repeats until none are left. */
const BATCH = 500;

/**
 * Moves every lot that lapsed by `asOf` to breakage, one EXPIRY transaction per account, as one
 * operation-log entry per batch. Lots expire at the date disclosed when they were earned, never
 * earlier. Admins (and the scheduled run) only; `asOf` may not lie in the future.
 */
export async function expirePoints(db: Database, principal: Principal, asOf: Date, idempotencyKey: string, now = new Date()): Promise<{ accounts: number; points: number }> {
  if (principal.role !== 'admin' && principal.role !== 'service') throw new LedgerError('FORBIDDEN', 'Only an admin or the scheduled run expires points');
  if (Number.isNaN(asOf.getTime()) || asOf.getTime() > now.getTime()) throw badInput('asOf', 'asOf may not lie in the future');
  return runOperation(
    db,
    { scope: 'expire', key: idempotencyKey, actor: actorOf(principal), request: { asOf: asOf.toISOString() } },
    async (tx, operationId) => {
      const due = await tx
        .selectDistinct({ accountId: lots.accountId, kind: accounts.kind, ownerId: accounts.ownerId, asset: accounts.asset })
        .from(lots)
        .innerJoin(accounts, sql`${accounts.id} = ${lots.accountId}`)
        .where(and(gt(lots.remaining, 0), lte(lots.expiresAt, asOf), inArray(accounts.kind, ['USER', 'HOUSEHOLD_POOL'])))
        .orderBy(asc(lots.accountId))
        .limit(BATCH);
      let total = 0;
      for (const d of due) {
        const ref: AccountRef = { kind: d.kind as AccountRef['kind'], ownerId: d.ownerId, asset: d.asset as Asset };
        const locked = await lockAccounts(tx, [ref]);
        const transactionId = randomUUID();
        const isUser = ref.kind === 'USER';
        await insertTransaction(tx, { id: transactionId, operationId, type: 'EXPIRY', userId: isUser ? ref.ownerId : null, description: 'Points expired', metadata: { asOf: asOf.toISOString(), account: accountKey(ref) }, createdAt: now });
        const taken = await takeFromLots(tx, locked.get(accountKey(ref))!.id, Number.MAX_SAFE_INTEGER, transactionId, { reason: 'EXPIRE', now: asOf, expiredOnly: true, partial: true });
        const points = taken.reduce((s, a) => s + a.amount, 0);
        if (points === 0) continue;
        await appendPostings(tx, transactionId, move(ref, { kind: 'BREAKAGE', ownerId: ALLIANCE, asset: ref.asset }, points));
        await publish(tx, ledgerOutbox, 'PointsExpired', { userId: isUser ? ref.ownerId : null, householdId: isUser ? null : ref.ownerId, asset: ref.asset, points, asOf: asOf.toISOString() }, now);
        total += points;
      }
      return { accounts: due.length, points: total };
    },
    async (_tx, result) => result,
    now,
  );
}
