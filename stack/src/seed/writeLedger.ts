import type { Database } from '@greenpoints/db';
import * as ledger from '@greenpoints/db/schema/ledger';
import { outboxRow } from '@greenpoints/events';
import { and, eq, sql } from 'drizzle-orm';
import { insertAll } from './bulk.ts';
import type { HistoryEnd, LedgerRows } from './history.ts';

/** Balances set per statement at the end (two parameters each). */
const BALANCES_PER_UPDATE = 10_000;

/**
 * One batch of the ledger's history in one transaction, as one entry of the operation log (scope
 * `seed`, key `history:<n>`), so the hash chain covers its postings too; with a PurchaseRecorded
 * event for each purchase, as recordPurchase writes. Returns false when that entry already exists
 * (a seed resumed after an interruption): the batch committed whole before.
 */
export async function writeLedgerBatch(db: Database, n: number, rows: LedgerRows, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const key = `history:${n}`;
    const [done] = await tx.select({ id: ledger.operations.id }).from(ledger.operations).where(and(eq(ledger.operations.scope, 'seed'), eq(ledger.operations.key, key)));
    if (done) return false;
    await insertAll(tx, ledger.accounts, rows.accounts);
    const [op] = await tx
      .insert(ledger.operations)
      .values({ scope: 'seed', key, requestHash: 'seed', actor: 'seed', result: { transactions: rows.transactions.length }, createdAt: now })
      .returning({ id: ledger.operations.id });
    await insertAll(tx, ledger.transactions, rows.transactions.map((t) => ({ ...t, operationId: op!.id })));
    await insertAll(tx, ledger.postings, rows.postings);
    await insertAll(tx, ledger.lots, rows.lots);
    await insertAll(tx, ledger.purchases, rows.purchases);
    await insertAll(tx, ledger.purchaseLines, rows.purchaseLines);
    const linesOf = new Map<string, LedgerRows['purchaseLines']>();
    for (const l of rows.purchaseLines) linesOf.set(l.purchaseId, [...(linesOf.get(l.purchaseId) ?? []), l]);
    const events = rows.purchases.map((p) => {
      const lines = (linesOf.get(p.id) ?? []).map(({ sku, quantity, unitPriceMinor, greenPoints }) => ({ sku, quantity, unitPriceMinor, greenPoints }));
      const payload = { purchaseId: p.id, userId: p.userId, merchantId: p.merchantId, occurredAt: p.occurredAt.toISOString(), amountMinor: p.amountMinor, points: p.points, greenPoints: p.greenPoints, lines };
      return outboxRow(ledger.ledgerOutbox, 'PurchaseRecorded', payload, p.occurredAt);
    });
    await insertAll(tx, ledger.ledgerOutbox, events);
    return true;
  });
}

/**
 * Accounts written in an earlier batch and moved by later ones get their final balance: absolute
 * values, so running it again (a resumed seed) changes nothing.
 */
export async function writeFinalBalances(db: Database, end: HistoryEnd): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < end.balances.length; i += BALANCES_PER_UPDATE) {
      const values = sql.join(end.balances.slice(i, i + BALANCES_PER_UPDATE).map((b) => sql`(${b.id}::uuid, ${b.balance}::bigint)`), sql`, `);
      await tx.execute(sql`UPDATE ledger.accounts a SET balance = v.balance FROM (VALUES ${values}) AS v(id, balance) WHERE a.id = v.id`);
    }
  });
}
