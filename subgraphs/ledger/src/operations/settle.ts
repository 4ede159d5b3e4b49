import type { Principal } from '@greenpoints/common';
import { queryRows, type Database } from '@greenpoints/db';
import { settlements } from '@greenpoints/db/schema/ledger';
import { asc, eq, sql } from 'drizzle-orm';
import { badInput, LedgerError } from '../errors.ts';

export type SettlementRow = typeof settlements.$inferSelect;

/** A calendar month, UTC: `2026-11`. */
export function periodBounds(period: string): { from: Date; to: Date } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!m) throw badInput('period', 'period must be a month, YYYY-MM');
  const from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  const to = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1));
  return { from, to };
}

/**
 * Settles a closed month, once (a second call returns the first result): per merchant, the POINTS it
 * issued (out of its budget, net of refunds) × its settlement price are owed to the pool, the points
 * redeemed at it (net of cancellations) × the same price are owed back. The `alliance` row is the
 * pool's side, so the net positions of a period sum to zero; the month's breakage is reported on it.
 * The price is the merchant's fixed price, stored with the row: points never appreciate.
 */
export async function settle(db: Database, principal: Principal, period: string, now = new Date()): Promise<SettlementRow[]> {
  if (principal.role !== 'admin' && principal.role !== 'auditor') throw new LedgerError('FORBIDDEN', 'Settlement is for admins and auditors');
  const { from, to } = periodBounds(period);
  if (to > now) throw new LedgerError('PERIOD_NOT_CLOSED', `${period} has not ended yet`, { argument: 'period' });
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`settle:${period}`}))`);
    const existing = await tx.select().from(settlements).where(eq(settlements.period, period)).orderBy(asc(settlements.party));
    if (existing.length > 0) return existing;
    const flows = await queryRows<{ kind: string; owner: string; amount: string | number }>(
      tx,
      sql`SELECT a.kind, a.owner_id AS owner, sum(p.amount) AS amount
            FROM ledger.postings p
            JOIN ledger.accounts a ON a.id = p.account_id
            JOIN ledger.transactions t ON t.id = p.transaction_id
           WHERE p.asset = 'POINTS' AND t.created_at >= ${from.toISOString()} AND t.created_at < ${to.toISOString()}
             AND t.type <> 'BUDGET_FUNDING'
             AND a.kind IN ('MERCHANT_ISSUANCE', 'MERCHANT_REDEMPTION', 'BREAKAGE')
           GROUP BY a.kind, a.owner_id`,
    );
    const prices = await queryRows<{ merchant_id: string; price: number }>(tx, sql`SELECT merchant_id, settlement_minor_per_100_points AS price FROM ledger.merchant_copies`);
    const priceOf = new Map(prices.map((p) => [p.merchant_id, Number(p.price)]));
    const parties = new Map<string, { issued: number; redeemed: number }>();
    let breakage = 0;
    for (const f of flows) {
      const amount = Number(f.amount);
      if (f.kind === 'BREAKAGE') {
        breakage += amount;
        continue;
      }
      const p = parties.get(f.owner) ?? { issued: 0, redeemed: 0 };
      if (f.kind === 'MERCHANT_ISSUANCE') p.issued += -amount;
      else p.redeemed += amount;
      parties.set(f.owner, p);
    }
    const rows = [...parties.entries()].map(([merchantId, p]) => {
      const price = priceOf.get(merchantId) ?? 0;
      return { period, party: merchantId, issuedPoints: p.issued, redeemedPoints: p.redeemed, expiredPoints: 0, minorPer100Points: price, netMinor: Math.round(((p.issued - p.redeemed) * price) / 100), createdAt: now };
    });
    const pool = {
      period,
      party: 'alliance',
      issuedPoints: rows.reduce((s, r) => s + r.issuedPoints, 0),
      redeemedPoints: rows.reduce((s, r) => s + r.redeemedPoints, 0),
      expiredPoints: breakage,
      minorPer100Points: 0,
      netMinor: -rows.reduce((s, r) => s + r.netMinor, 0),
      createdAt: now,
    };
    await tx.insert(settlements).values([...rows, pool]);
    return tx.select().from(settlements).where(eq(settlements.period, period)).orderBy(asc(settlements.party));
  });
}
