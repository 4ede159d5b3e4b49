// Proves the seed writes the same world in small transactions as in one, keeps the ledger's invariants, and resumes after an interruption.
import { DEV_PII_KEY } from '@greenpoints/common';
import { connect, migrate, type DbHandle } from '@greenpoints/db';
import { verifyLedger } from '@greenpoints/ledger/operations/verify';
import { INITIAL_BUDGET_POINTS, isEmpty, seed } from '@greenpoints/stack';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, uniqueName, urlFor } from '../helpers/db.ts';

const NOW = new Date('2026-03-01T08:00:00Z');
const USERS = 120;
/** Far smaller than the defaults, so a seed of 120 users takes many transactions of each kind. */
const SMALL_BATCHES = { usersPerBatch: 7, purchasesPerBatch: 50 };

const admin = adminClient();
const opened: { name: string; handle: DbHandle; sql: postgres.Sql }[] = [];

async function emptyDatabase() {
  const name = uniqueName('gp_seed');
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const handle = await connect({ databaseUrl: urlFor(name), poolMax: 4 });
  await migrate(handle);
  const db = { name, handle, sql: postgres(urlFor(name), { max: 1, onnotice: () => {} }) };
  opened.push(db);
  return db;
}

/**
 * What the seed wrote, in a form two databases can be compared by: every table's row count (the
 * inboxes aside: a seed of many batches prunes the rows it applied) and the content of the rows that
 * matter, without what differs by nature (outbox positions and event ids, timestamps of delivery).
 */
async function fingerprint(sql: postgres.Sql) {
  const tables = await sql<{ schema: string; name: string }[]>`
    SELECT schemaname AS schema, tablename AS name FROM pg_tables
     WHERE schemaname IN ('users', 'merchants', 'ledger', 'green') AND tablename <> 'inbox' ORDER BY 1, 2`;
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const [row] = await sql.unsafe(`SELECT count(*)::int AS n FROM "${t.schema}"."${t.name}"`);
    counts[`${t.schema}.${t.name}`] = Number(row!['n']);
  }
  const digest = async (query: string) => String((await sql.unsafe(`SELECT md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS d FROM (${query}) AS rows(r)`))[0]!['d']);
  return {
    counts,
    accounts: await digest(`SELECT concat_ws('|', id, kind, owner_id, asset, balance, debt) FROM ledger.accounts`),
    transactions: await digest(`SELECT concat_ws('|', id, type, idempotency_key, user_id, merchant_id, created_at) FROM ledger.transactions`),
    postings: await digest(`SELECT concat_ws('|', transaction_id, account_id, asset, amount) FROM ledger.postings`),
    lots: await digest(`SELECT concat_ws('|', id, account_id, transaction_id, amount, remaining, available_at, expires_at) FROM ledger.lots`),
    purchases: await digest(`SELECT concat_ws('|', p.id, p.tier, p.points, p.green_points, l.line_no, l.sku, l.quantity) FROM ledger.purchases p JOIN ledger.purchase_lines l ON l.purchase_id = p.id`),
    users: await digest(`SELECT concat_ws('|', id, display_name, phone_hash, age_band, household_id, registered_at) FROM users.users`),
    households: await digest(`SELECT concat_ws('|', id, name, owner_id, max_members) FROM users.households`),
    // publishPromotion draws a random id for a promotion: not the seed's to fix.
    events: await digest(`SELECT concat_ws('|', type, aggregate, (payload - 'promotionId')::text) FROM (SELECT type, aggregate, payload FROM users.outbox UNION ALL SELECT type, aggregate, payload FROM ledger.outbox UNION ALL SELECT type, aggregate, payload FROM merchants.outbox) e`),
    readModel: await digest(`SELECT concat_ws('|', user_id, status, household_id, age_band) FROM ledger.user_copies`),
    impact: await digest(`SELECT concat_ws('|', id, source_ref, sku, quantity, co2e_grams, green_points) FROM green.impact_records`),
    rewards: await digest(`SELECT concat_ws('|', id, merchant_id, title, points_cost) FROM merchants.rewards`),
  };
}

let whole: Awaited<ReturnType<typeof fingerprint>>;
beforeAll(async () => {
  const db = await emptyDatabase();
  await seed(db.handle.db, { piiKey: DEV_PII_KEY, users: USERS, now: NOW });
  whole = await fingerprint(db.sql);
});

afterAll(async () => {
  for (const db of opened) {
    await db.handle.close();
    await db.sql.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
  }
  await admin.end();
});

describe('seeding in batches', () => {
  it('writes the same rows and events in many small transactions as in one, and the ledger verifies', async () => {
    const db = await emptyDatabase();
    const result = await seed(db.handle.db, { piiKey: DEV_PII_KEY, users: USERS, now: NOW, ...SMALL_BATCHES });
    expect(result.users).toBe(USERS);
    expect(whole.counts['ledger.purchases']).toBe(result.purchases);
    const batched = await fingerprint(db.sql);
    // The only difference: one operation-log entry per ledger batch (the last adds the green budgets).
    expect(whole.counts['ledger.operations']).toBe(1);
    expect(batched.counts['ledger.operations']).toBe(Math.floor(result.purchases / SMALL_BATCHES.purchasesPerBatch) + 1);
    expect({ ...batched, counts: { ...batched.counts, 'ledger.operations': 1 } }).toEqual(whole);

    const report = await verifyLedger(db.handle.db);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    // Each merchant's budget was funded for everything its history issued, whatever the seed's size
    // (a fixed block went below zero past a few thousand users): what is left is its initial block.
    const budgets = await db.sql`SELECT balance FROM ledger.accounts WHERE kind = 'MERCHANT_ISSUANCE' AND asset = 'POINTS'`;
    expect(budgets.length).toBeGreaterThan(0);
    for (const b of budgets) expect(Number(b['balance'])).toBe(INITIAL_BUDGET_POINTS);
    const [pending] = await db.sql`SELECT (SELECT count(*) FROM ledger.inbox WHERE status <> 'DONE') + (SELECT count(*) FROM green.inbox WHERE status <> 'DONE') AS n`;
    expect(Number(pending!['n'])).toBe(0);
  });

  it('resumes a seed interrupted half-way, skipping what committed, and ends with the same world', async () => {
    const db = await emptyDatabase();
    const interrupt = (step: { phase: string; done: number }) => {
      if (step.phase === 'ledger' && step.done >= 300) throw new Error('interrupted');
    };
    await expect(seed(db.handle.db, { piiKey: DEV_PII_KEY, users: USERS, now: NOW, ...SMALL_BATCHES, onProgress: interrupt })).rejects.toThrow('interrupted');
    // Merchants come last: a half-written seed still counts as empty, so `seedIfEmpty` runs it again.
    expect(await isEmpty(db.handle.db)).toBe(true);
    const [written] = await db.sql`SELECT count(*)::int AS n FROM ledger.purchases`;
    expect(written!['n']).toBeGreaterThanOrEqual(300);

    await seed(db.handle.db, { piiKey: DEV_PII_KEY, users: USERS, now: NOW, ...SMALL_BATCHES });
    expect(await isEmpty(db.handle.db)).toBe(false);
    const resumed = await fingerprint(db.sql);
    expect({ ...resumed, counts: { ...resumed.counts, 'ledger.operations': 1 } }).toEqual(whole);
    expect((await verifyLedger(db.handle.db)).ok).toBe(true);
  });
});
