import { queryRows, type Executor } from '@greenpoints/db';
import { sql, type SQL } from 'drizzle-orm';
import { verifyChain, type ChainReport } from './operationLog.ts';

export interface VerifyCheck {
  name: string;
  ok: boolean;
  /** Up to 10 offending rows, for the auditor to follow up. */
  violations: unknown[];
}

export interface VerifyReport {
  ok: boolean;
  checks: VerifyCheck[];
  chain: ChainReport;
}

/** Each check is a query for violations: none found means the invariant holds. */
const CHECKS: [string, SQL][] = [
  [
    'every transaction sums to zero per asset',
    sql`SELECT transaction_id, asset, sum(amount) AS sum FROM ledger.postings GROUP BY transaction_id, asset HAVING sum(amount) <> 0 LIMIT 10`,
  ],
  [
    'every cached balance equals the sum of its postings',
    sql`SELECT a.id, a.kind, a.balance, coalesce(sum(p.amount), 0) AS postings
          FROM ledger.accounts a LEFT JOIN ledger.postings p ON p.account_id = a.id
         WHERE a.kind NOT IN ('ALLIANCE_POOL', 'MERCHANT_REDEMPTION', 'BREAKAGE', 'CLAWBACK', 'COMPENSATION')
         GROUP BY a.id HAVING a.balance <> coalesce(sum(p.amount), 0) LIMIT 10`,
  ],
  [
    'lots equal balances (open lots minus recorded debt)',
    sql`SELECT a.id, a.balance, a.debt, coalesce(sum(l.remaining), 0) AS lots
          FROM ledger.accounts a LEFT JOIN ledger.lots l ON l.account_id = a.id
         WHERE a.kind IN ('USER', 'HOUSEHOLD_POOL')
         GROUP BY a.id HAVING a.balance <> coalesce(sum(l.remaining), 0) - a.debt LIMIT 10`,
  ],
  [
    'every lot keeps what its allocations did not take',
    sql`SELECT l.id, l.amount, l.remaining, coalesce(sum(x.amount), 0) AS allocated
          FROM ledger.lots l LEFT JOIN ledger.lot_allocations x ON x.lot_id = l.id
         GROUP BY l.id HAVING l.remaining <> l.amount - coalesce(sum(x.amount), 0) LIMIT 10`,
  ],
  [
    'no user balance below zero except recorded debt',
    sql`SELECT id, balance, debt FROM ledger.accounts WHERE kind IN ('USER', 'HOUSEHOLD_POOL', 'HOLD') AND balance + debt < 0 LIMIT 10`,
  ],
  [
    'a user with debt holds no open lots (debt is settled first)',
    sql`SELECT a.id, a.debt FROM ledger.accounts a WHERE a.debt > 0 AND EXISTS (SELECT 1 FROM ledger.lots l WHERE l.account_id = a.id AND l.remaining > 0 AND l.expires_at > now()) LIMIT 10`,
  ],
  [
    'issuance within funded budgets',
    sql`SELECT id, owner_id, asset, balance FROM ledger.accounts WHERE kind IN ('MERCHANT_ISSUANCE', 'ALLIANCE_ISSUANCE') AND balance < 0 LIMIT 10`,
  ],
  [
    'holds: each user’s hold account carries exactly their HELD redemptions',
    sql`SELECT a.owner_id, a.balance, coalesce(h.held, 0) AS held
          FROM ledger.accounts a
          LEFT JOIN (SELECT user_id::text AS owner_id, sum(points) AS held FROM ledger.redemptions WHERE status = 'HELD' GROUP BY user_id) h ON h.owner_id = a.owner_id
         WHERE a.kind = 'HOLD' AND a.balance <> coalesce(h.held, 0) LIMIT 10`,
  ],
  [
    'each hold resolved at most once, and every resolved one by a transaction',
    sql`SELECT r.id, r.status FROM ledger.redemptions r
         WHERE (r.status = 'HELD' AND r.resolve_transaction_id IS NOT NULL)
            OR (r.status <> 'HELD' AND r.resolve_transaction_id IS NULL)
            OR (SELECT count(*) FROM ledger.operations o WHERE o.scope = 'redemption:' || r.id AND o.key = 'resolve' AND o.result IS NOT NULL) > 1
         LIMIT 10`,
  ],
  [
    'no idempotency key posted twice, and every committed operation has its result',
    sql`SELECT scope, key, count(*) FROM ledger.operations GROUP BY scope, key HAVING count(*) > 1 OR bool_or(result IS NULL) LIMIT 10`,
  ],
  [
    'no purchase earns twice',
    sql`SELECT transaction_id, count(*) FROM ledger.purchases GROUP BY transaction_id HAVING count(*) > 1 LIMIT 10`,
  ],
];

/** `npm run ledger:verify`: every invariant of the ledger, on a live database, read-only. */
export async function verifyLedger(db: Executor): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  for (const [name, query] of CHECKS) {
    const violations = await queryRows<unknown>(db, query);
    checks.push({ name, ok: violations.length === 0, violations });
  }
  const chain = await verifyChain(db);
  checks.push({ name: 'the operation log’s hash chain is intact', ok: chain.brokenAt === null, violations: chain.brokenAt === null ? [] : [{ brokenAt: chain.brokenAt }] });
  return { ok: checks.every((c) => c.ok), checks, chain };
}
