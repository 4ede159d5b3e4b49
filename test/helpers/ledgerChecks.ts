import type postgres from 'postgres';
import type { LedgerModel, MLot } from './ledgerModel.ts';

/** One lot as the database holds it. */
export interface DbLot {
  id: string;
  account: string;
  transactionId: string;
  amount: number;
  remaining: number;
  availableAt: number;
  expiresAt: number;
}

export interface HouseholdState {
  /** By `KIND:owner:ASSET`. */
  accounts: Map<string, { id: string; balance: number; debt: number }>;
  lots: DbLot[];
}

/** The household's accounts (user, pool and hold) and every lot they ever had. */
export async function readHousehold(sql: postgres.Sql, model: LedgerModel): Promise<HouseholdState> {
  const owners = [...model.members, model.householdId];
  const rows = await sql<{ id: string; kind: string; owner_id: string; asset: string; balance: number; debt: number }[]>`
    SELECT id, kind, owner_id, asset, balance::float8 AS balance, debt::float8 AS debt
      FROM ledger.accounts WHERE owner_id IN ${sql(owners)} AND kind IN ('USER', 'HOUSEHOLD_POOL', 'HOLD')`;
  const accounts = new Map(rows.map((r) => [`${r.kind}:${r.owner_id}:${r.asset}`, { id: r.id, balance: r.balance, debt: r.debt }]));
  const keyOf = new Map(rows.map((r) => [r.id, `${r.kind}:${r.owner_id}:${r.asset}`]));
  const lots = rows.length === 0 ? [] : await sql<{ id: string; account_id: string; transaction_id: string; amount: number; remaining: number; available_at: Date; expires_at: Date }[]>`
    SELECT id, account_id, transaction_id, amount::float8 AS amount, remaining::float8 AS remaining, available_at, expires_at
      FROM ledger.lots WHERE account_id IN ${sql(rows.map((r) => r.id))}`;
  return {
    accounts,
    lots: lots.map((l) => ({
      id: l.id,
      account: keyOf.get(l.account_id)!,
      transactionId: l.transaction_id,
      amount: l.amount,
      remaining: l.remaining,
      availableAt: l.available_at.getTime(),
      expiresAt: l.expires_at.getTime(),
    })),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const groupKey = (l: { account: string; expiresAt: number; availableAt: number }) => `${l.account} expiring ${iso(l.expiresAt)} available ${iso(l.availableAt)}`;

/**
 * Compares the household as the database holds it with the model, lot by lot, and adopts the ids of
 * the lots the last operation created (the model predicts their account, dates and amounts; lots with
 * the same account and dates are compared as a group, as nothing tells them apart but their ids).
 * Returns every difference, empty when the ledger did exactly what the model says.
 */
export function reconcile(model: LedgerModel, db: HouseholdState): string[] {
  const problems: string[] = [];
  const known = new Map(model.lots.filter((l) => l.id !== null).map((l) => [l.id!, l]));
  const seen = new Set<string>();
  const fresh: DbLot[] = [];
  for (const l of db.lots) {
    const m = known.get(l.id);
    if (!m) {
      fresh.push(l);
      continue;
    }
    seen.add(l.id);
    if (m.remaining !== l.remaining || m.amount !== l.amount || m.expiresAt !== l.expiresAt) {
      problems.push(`lot ${l.id} of ${l.account} (expiring ${iso(l.expiresAt)}): ledger has ${l.remaining} of ${l.amount}, model ${m.remaining} of ${m.amount}`);
    }
  }
  for (const id of known.keys()) if (!seen.has(id)) problems.push(`lot ${id} is gone from the ledger`);
  const sums = (lots: { account: string; expiresAt: number; availableAt: number; amount: number; remaining: number }[]) => {
    const g = new Map<string, { count: number; amount: number; remaining: number }>();
    for (const l of lots) {
      const e = g.get(groupKey(l)) ?? { count: 0, amount: 0, remaining: 0 };
      g.set(groupKey(l), { count: e.count + 1, amount: e.amount + l.amount, remaining: e.remaining + l.remaining });
    }
    return g;
  };
  const predicted = sums(model.lots.filter((l) => l.id === null));
  const actual = sums(fresh);
  for (const key of new Set([...predicted.keys(), ...actual.keys()])) {
    const p = predicted.get(key);
    const a = actual.get(key);
    if (JSON.stringify(p) !== JSON.stringify(a)) problems.push(`new lots on ${key}: ledger ${JSON.stringify(a ?? 'none')}, model ${JSON.stringify(p ?? 'none')}`);
  }
  model.lots = [...model.lots.filter((l) => l.id !== null), ...fresh.map((l): MLot => ({ ...l }))];

  for (const key of model.accounts) {
    const row = db.accounts.get(key) ?? { balance: 0, debt: 0 };
    const debt = model.debt.get(key) ?? 0;
    if (row.debt !== debt) problems.push(`${key}: debt ${row.debt}, model ${debt}`);
    if (row.balance !== model.balance(key)) problems.push(`${key}: balance ${row.balance}, model ${model.balance(key)}`);
    if (row.balance + row.debt < 0) problems.push(`${key}: balance ${row.balance} below zero beyond its debt ${row.debt}`);
    const live = db.lots.filter((l) => l.account === key && l.remaining > 0 && l.expiresAt > model.now);
    if (row.debt > 0 && live.length > 0) {
      problems.push(`${key}: owes ${row.debt} points while holding ${live.reduce((s, l) => s + l.remaining, 0)} in live lots (debt must be settled first)`);
    }
  }
  for (const userId of model.members) {
    const held = db.accounts.get(`HOLD:${userId}:POINTS`)?.balance ?? 0;
    if (held !== (model.hold.get(userId) ?? 0)) problems.push(`hold of ${userId}: ${held}, model ${model.hold.get(userId) ?? 0}`);
    if (held < 0) problems.push(`hold of ${userId} below zero: ${held}`);
  }
  return problems;
}

/** Which lots a spend may take at `now`, by the reason it records (a refund's beyond its purchase's own). */
function eligible(reason: string, lot: DbLot, now: number): boolean {
  if (lot.remaining <= 0) return false;
  if (reason === 'EXPIRE') return lot.expiresAt <= now;
  if (reason === 'CLAWBACK' || reason === 'REFUND') return lot.expiresAt > now;
  return lot.availableAt <= now && lot.expiresAt > now;
}

const SPENDING = new Set(['SPEND', 'HOLD', 'TRANSFER', 'CLAWBACK', 'EXPIRE']);

/**
 * First-expiring-first, checked on what the ledger recorded rather than on the model: within each
 * transaction, every lot a spend took was eligible (spendable now, or lapsed for expiry), and every
 * eligible lot of that account expiring before the latest one it took was used up entirely.
 */
export async function fifoViolations(sql: postgres.Sql, before: DbLot[], afterAllocationId: number, now: number): Promise<{ problems: string[]; lastId: number }> {
  const rows = await sql<{ id: number; lot_id: string; transaction_id: string; amount: number; reason: string; refunded: string | null }[]>`
    SELECT x.id::float8 AS id, x.lot_id, x.transaction_id, x.amount::float8 AS amount, x.reason, p.transaction_id AS refunded
      FROM ledger.lot_allocations x
      LEFT JOIN ledger.refunds r ON r.transaction_id = x.transaction_id AND x.reason = 'REFUND'
      LEFT JOIN ledger.purchases p ON p.id = r.purchase_id
     WHERE x.id > ${afterAllocationId} ORDER BY x.id`;
  const lotById = new Map(before.map((l) => [l.id, l]));
  const problems: string[] = [];
  const groups = new Map<string, { reason: string; refunded: string | null; taken: Map<string, number> }>();
  for (const r of rows) {
    const lot = lotById.get(r.lot_id);
    if (!lot || !(SPENDING.has(r.reason) || r.reason === 'REFUND')) continue;
    // A refund takes its purchase's own lots first, whatever their dates; only the rest is first-expiring-first.
    if (r.reason === 'REFUND' && lot.transactionId === r.refunded) continue;
    const key = `${r.transaction_id}|${lot.account}`;
    const g = groups.get(key) ?? { reason: r.reason, refunded: r.refunded, taken: new Map<string, number>() };
    g.taken.set(lot.id, (g.taken.get(lot.id) ?? 0) + r.amount);
    groups.set(key, g);
  }
  for (const [key, g] of groups) {
    const account = key.split('|')[1]!;
    const lots = [...g.taken.keys()].map((id) => lotById.get(id)!);
    for (const lot of lots) {
      if (!eligible(g.reason, lot, now)) problems.push(`${g.reason} on ${account} took lot ${lot.id} (available ${iso(lot.availableAt)}, expiring ${iso(lot.expiresAt)}), which it may not take at ${iso(now)}`);
      if (g.taken.get(lot.id)! > lot.remaining) problems.push(`${g.reason} took ${g.taken.get(lot.id)} from lot ${lot.id} holding ${lot.remaining}`);
    }
    const latest = Math.max(...lots.map((l) => l.expiresAt));
    for (const other of before.filter((l) => l.account === account && l.transactionId !== g.refunded && eligible(g.reason, l, now) && l.expiresAt < latest)) {
      if ((g.taken.get(other.id) ?? 0) !== other.remaining) {
        problems.push(`${g.reason} on ${account} took from a lot expiring ${iso(latest)} but left ${other.remaining - (g.taken.get(other.id) ?? 0)} in lot ${other.id} expiring earlier (${iso(other.expiresAt)})`);
      }
    }
  }
  return { problems, lastId: rows.reduce((m, r) => Math.max(m, r.id), afterAllocationId) };
}

/** Everything a write could change, to prove that a refused or replayed operation changed nothing. */
export async function fingerprint(sql: postgres.Sql): Promise<Record<string, unknown>> {
  // Append-only tables grow (their highest id moves); what changes in place is summed.
  const [row] = await sql`
    SELECT (SELECT max(id) FROM ledger.operations)::float8 AS operations,
           (SELECT max(id) FROM ledger.postings)::float8 AS postings,
           (SELECT max(id) FROM ledger.lot_allocations)::float8 AS allocations,
           (SELECT max(id) FROM ledger.audit_log)::float8 AS audit,
           (SELECT max(position) FROM ledger.outbox)::float8 AS outbox,
           (SELECT count(*) FROM ledger.transactions)::int AS transactions,
           (SELECT row(count(*), sum(remaining), sum(remaining::numeric * remaining))::text FROM ledger.lots) AS lots,
           (SELECT row(count(*), sum(balance), sum(debt), sum(balance::numeric * balance), sum(debt::numeric * debt))::text FROM ledger.accounts) AS accounts,
           (SELECT row(count(*), sum(refunded_minor), count(*) FILTER (WHERE status = 'RECORDED'))::text FROM ledger.purchases) AS purchases,
           (SELECT md5(coalesce(string_agg(id::text || status || stock_state, ',' ORDER BY id), '')) FROM ledger.redemptions) AS redemptions,
           (SELECT count(*) FROM ledger.refunds)::int AS refunds,
           (SELECT row(count(*), count(*) FILTER (WHERE frozen), count(*) FILTER (WHERE status = 'OPEN'))::text FROM ledger.fraud_cases) AS cases`;
  return row!;
}

/**
 * Conservation over the whole ledger, per asset: postings sum to zero, and what users, pools and
 * holds have (lots minus debts, plus holds: not the postings) equals the points issued from budgets
 * (net of refunds) minus those redeemed, expired and clawed back.
 */
export async function conservation(sql: postgres.Sql): Promise<string[]> {
  const flows = await sql<{ asset: string; kind: string; funding: boolean; amount: number }[]>`
    SELECT p.asset, a.kind, t.type = 'BUDGET_FUNDING' AS funding, sum(p.amount)::float8 AS amount
      FROM ledger.postings p JOIN ledger.accounts a ON a.id = p.account_id JOIN ledger.transactions t ON t.id = p.transaction_id
     GROUP BY 1, 2, 3`;
  const held = await sql<{ asset: string; lots: number; debt: number; holds: number }[]>`
    SELECT a.asset,
           coalesce(sum(l.remaining) FILTER (WHERE a.kind IN ('USER', 'HOUSEHOLD_POOL')), 0)::float8 AS lots,
           (SELECT coalesce(sum(debt), 0) FROM ledger.accounts d WHERE d.asset = a.asset AND d.kind IN ('USER', 'HOUSEHOLD_POOL'))::float8 AS debt,
           (SELECT coalesce(sum(balance), 0) FROM ledger.accounts h WHERE h.asset = a.asset AND h.kind = 'HOLD')::float8 AS holds
      FROM ledger.accounts a LEFT JOIN ledger.lots l ON l.account_id = a.id
     GROUP BY a.asset`;
  const problems: string[] = [];
  for (const h of held) {
    const of = (kinds: string[], funding = false) =>
      flows.filter((f) => f.asset === h.asset && kinds.includes(f.kind) && f.funding === funding).reduce((s, f) => s + f.amount, 0);
    const total = flows.filter((f) => f.asset === h.asset).reduce((s, f) => s + f.amount, 0);
    if (total !== 0) problems.push(`${h.asset}: postings sum to ${total}`);
    const issued = -of(['MERCHANT_ISSUANCE', 'ALLIANCE_ISSUANCE']);
    const gone = of(['MERCHANT_REDEMPTION']) + of(['BREAKAGE']) + of(['CLAWBACK']) + of(['COMPENSATION']);
    const holding = h.lots - h.debt + h.holds;
    if (holding !== issued - gone) problems.push(`${h.asset}: users hold ${holding} but ${issued} were issued and ${gone} redeemed, expired or clawed back`);
    const funded = of(['MERCHANT_ISSUANCE', 'ALLIANCE_ISSUANCE'], true);
    if (funded !== -of(['ALLIANCE_POOL'], true)) problems.push(`${h.asset}: budgets funded with ${funded}, the pool paid ${-of(['ALLIANCE_POOL'], true)}`);
  }
  return problems;
}

