import type { Database } from '@greenpoints/db';
import { accounts, fraudCases, lots, postings, purchaseLines, purchases, redemptions, refunds, transactions } from '@greenpoints/db/schema/ledger';
import { and, asc, eq, inArray } from 'drizzle-orm';

/**
 * The ledger's part of a person's data export: their accounts with balances, every lot (with when
 * it became spendable and expires), every transaction that touched their accounts with its
 * postings, their purchases with lines and refunds, their redemptions, and the fraud cases on their
 * account (evidence included: it is about them). Rows as stored, integers as integers.
 */
export async function ledgerExport(db: Database, userId: string) {
  const own = await db.select().from(accounts).where(and(eq(accounts.kind, 'USER'), eq(accounts.ownerId, userId))).orderBy(asc(accounts.asset));
  const ids = own.map((a) => a.id);
  const ownPostings = ids.length ? await db.select().from(postings).where(inArray(postings.accountId, ids)) : [];
  const txIds = [...new Set(ownPostings.map((p) => p.transactionId))];
  const txs = txIds.length ? await db.select().from(transactions).where(inArray(transactions.id, txIds)).orderBy(asc(transactions.createdAt)) : [];
  const ownLots = ids.length ? await db.select().from(lots).where(inArray(lots.accountId, ids)) : [];
  const bought = await db.select().from(purchases).where(eq(purchases.userId, userId)).orderBy(asc(purchases.occurredAt));
  const lines = bought.length ? await db.select().from(purchaseLines).where(inArray(purchaseLines.purchaseId, bought.map((p) => p.id))) : [];
  const refunded = bought.length ? await db.select().from(refunds).where(inArray(refunds.purchaseId, bought.map((p) => p.id))) : [];
  const redeemed = await db.select().from(redemptions).where(eq(redemptions.userId, userId)).orderBy(asc(redemptions.createdAt));
  const cases = await db.select().from(fraudCases).where(eq(fraudCases.userId, userId)).orderBy(asc(fraudCases.openedAt));
  const byKey = <T, K>(rows: T[], key: (row: T) => K) => {
    const groups = new Map<K, T[]>();
    for (const row of rows) {
      const group = groups.get(key(row));
      if (group) group.push(row);
      else groups.set(key(row), [row]);
    }
    return groups;
  };
  const postingsOf = byKey(ownPostings, (p) => p.transactionId);
  const linesOf = byKey(lines, (l) => l.purchaseId);
  const refundsOf = byKey(refunded, (r) => r.purchaseId);
  return {
    accounts: own,
    lots: ownLots,
    transactions: txs.map((tx) => ({ ...tx, postings: postingsOf.get(tx.id) ?? [] })),
    purchases: bought.map((p) => ({ ...p, lines: linesOf.get(p.id) ?? [], refunds: refundsOf.get(p.id) ?? [] })),
    redemptions: redeemed,
    fraudCases: cases,
  };
}
