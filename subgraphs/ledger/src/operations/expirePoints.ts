import { randomUUID } from 'node:crypto';
import type { Principal } from '@greenpoints/common';
import { send, type Database } from '@greenpoints/db';
import { accounts, ledgerOutbox, lotAllocations, lots } from '@greenpoints/db/schema/ledger';
import { publish } from '@greenpoints/events';
import { and, asc, gt, inArray, lte, sql } from 'drizzle-orm';
import { ALLIANCE, accountKey, move, type AccountRef, type Asset } from '../domain/postings.ts';
import { badInput, LedgerError } from '../errors.ts';
import { appendPostings, ensureAccounts, insertTransactions, lockAccounts } from '../repositories/accountsRepository.ts';
import { actorOf } from './actor.ts';
import { runOperation } from './operationLog.ts';

/** Accounts expired per operation; a scheduled run repeats until none are left. */
const BATCH = 500;

/**
 * Moves every lot that lapsed by `asOf` to breakage, one EXPIRY transaction per account, as one
 * operation-log entry per batch of accounts, in a constant number of round trips per batch. Lots expire at the date disclosed when they were earned, never
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
      if (due.length === 0) return { accounts: 0, points: 0 };
      const refs = due.map((d): AccountRef => ({ kind: d.kind as AccountRef['kind'], ownerId: d.ownerId, asset: d.asset as Asset }));
      const breakageOf = (asset: Asset): AccountRef => ({ kind: 'BREAKAGE', ownerId: ALLIANCE, asset });
      // The whole batch at once: accounts locked in id order with the breakage accounts looked up,
      // then their lapsed lots locked, then every write sent together.
      const [locked, sinks] = await Promise.all([lockAccounts(tx, refs), ensureAccounts(tx, [...new Set(refs.map((r) => r.asset))].map(breakageOf))]);
      const byId = new Map(refs.map((ref) => [locked.get(accountKey(ref))!.id, ref]));
      const lapsed = await tx
        .select({ id: lots.id, accountId: lots.accountId, remaining: lots.remaining })
        .from(lots)
        .where(and(inArray(lots.accountId, [...byId.keys()]), gt(lots.remaining, 0), lte(lots.expiresAt, asOf)))
        .orderBy(asc(lots.accountId), asc(lots.expiresAt), asc(lots.id))
        .for('update');
      const expiring = new Map<string, { ref: AccountRef; transactionId: string; points: number }>();
      for (const lot of lapsed) {
        const entry = expiring.get(lot.accountId) ?? { ref: byId.get(lot.accountId)!, transactionId: randomUUID(), points: 0 };
        entry.points += lot.remaining;
        expiring.set(lot.accountId, entry);
      }
      const known = new Map([...locked, ...sinks]);
      const entries = [...expiring.values()];
      const owner = (ref: AccountRef) => (ref.kind === 'USER' ? { userId: ref.ownerId, householdId: null } : { userId: null, householdId: ref.ownerId });
      await Promise.all([
        insertTransactions(
          tx,
          entries.map((e) => ({ id: e.transactionId, operationId, type: 'EXPIRY', userId: owner(e.ref).userId, description: 'Points expired', metadata: { asOf: asOf.toISOString(), account: accountKey(e.ref) }, createdAt: now })),
        ),
        lapsed.length > 0 &&
          send(tx.insert(lotAllocations).values(lapsed.map((l) => ({ lotId: l.id, transactionId: expiring.get(l.accountId)!.transactionId, amount: l.remaining, reason: 'EXPIRE' as const })))),
        lapsed.length > 0 && send(tx.update(lots).set({ remaining: 0 }).where(inArray(lots.id, lapsed.map((l) => l.id)))),
        ...entries.map((e) => appendPostings(tx, e.transactionId, move(e.ref, breakageOf(e.ref.asset), e.points), known)),
        ...entries.map((e) => publish(tx, ledgerOutbox, 'PointsExpired', { ...owner(e.ref), asset: e.ref.asset, points: e.points, asOf: asOf.toISOString() }, now)),
      ]);
      return { accounts: entries.length, points: entries.reduce((s, e) => s + e.points, 0) };
    },
    async (_tx, result) => result,
    now,
  );
}
