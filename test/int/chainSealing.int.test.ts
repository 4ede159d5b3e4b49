// Proves the operation log is sealed into its hash chain in batches of one statement each (not a round trip per entry), that sealers running at once on several pools, while purchases keep coming, give one unbroken chain with every entry sealed exactly once, and that a changed posting breaks the chain where it is.
import { connect, type DbHandle } from '@greenpoints/db';
import { recordPurchase } from '@greenpoints/ledger/operations/recordPurchase';
import { sealOperations, verifyChain } from '@greenpoints/ledger/operations/operationLog';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
let users: string[];
let merchant: string;
const admin = { role: 'admin' as const, sub: 'chain-test', scopes: [] };

beforeAll(async () => {
  t = await freshDatabase();
  const [m] = await t.sql<{ merchant_id: string }[]>`
    SELECT r.merchant_id FROM ledger.earn_rules r JOIN ledger.merchant_copies m ON m.merchant_id = r.merchant_id
    WHERE m.status = 'ACTIVE' ORDER BY r.merchant_id LIMIT 1`;
  merchant = m!.merchant_id;
  users = (await t.sql<{ user_id: string }[]>`SELECT user_id FROM ledger.user_copies WHERE status = 'ACTIVE' ORDER BY user_id LIMIT 40`).map((r) => r.user_id);
  while ((await sealOperations(t.handle.db)) > 0);
});
afterAll(() => t?.drop());

const purchase = (userId: string) => recordPurchase(t.handle.db, admin, { userId, merchantId: merchant, amountMinor: 1_000 + users.indexOf(userId) }, randomUUID());

it('seals any number of entries with a constant number of statements per batch', async () => {
  for (const user of users.slice(0, 25)) await purchase(user);
  const counting: DbHandle = await connect({ databaseUrl: t.url, poolMax: 1, countStatements: true });
  try {
    const perBatch: number[] = [];
    let sealed = 0;
    for (;;) {
      counting.statements!.reset();
      const n = await sealOperations(counting.db, 10);
      if (n === 0) break;
      sealed += n;
      perBatch.push(counting.statements!.count);
    }
    expect(sealed).toBe(25);
    // 10, 10 and 5 entries: each batch is lock, last entry, pending, owners, postings, update (and BEGIN/COMMIT).
    expect(perBatch).toHaveLength(3);
    expect(new Set(perBatch).size).toBe(1);
    expect(perBatch[0]).toBeLessThanOrEqual(8);
  } finally {
    await counting.close();
  }
  expect(await verifyChain(t.handle.db)).toMatchObject({ unsealed: 0, brokenAt: null });
});

it('gives one unbroken chain when several sealers run while purchases are recorded', async () => {
  const [{ before } = { before: 0 }] = await t.sql<{ before: number }[]>`SELECT count(*)::int AS before FROM ledger.operations WHERE seq IS NOT NULL`;
  const pools = await Promise.all([t.connectAgain(), t.connectAgain(), t.connectAgain()]);
  let writing = true;
  const sealers = pools.map(async (pool) => {
    let sealed = 0;
    while (writing) {
      sealed += await sealOperations(pool.db, 3);
      await new Promise((r) => setTimeout(r, 1));
    }
    return sealed;
  });
  await Promise.all(users.map((u) => purchase(u)));
  writing = false;
  const counts = await Promise.all(sealers);
  while ((await sealOperations(t.handle.db)) > 0);

  const report = await verifyChain(t.handle.db);
  expect(report).toEqual({ sealed: before + users.length, unsealed: 0, brokenAt: null });
  expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(users.length);
  const [gaps] = await t.sql<{ n: number; distinct_seqs: number; top: number }[]>`
    SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seqs, max(seq)::int AS top FROM ledger.operations WHERE seq IS NOT NULL`;
  expect(gaps).toEqual({ n: before + users.length, distinct_seqs: before + users.length, top: before + users.length });
});

it('finds the entry whose posting was changed after sealing', async () => {
  const [last] = await t.sql<{ seq: number; transaction_id: string }[]>`
    SELECT o.seq::int AS seq, tr.id AS transaction_id FROM ledger.operations o JOIN ledger.transactions tr ON tr.operation_id = o.id
    JOIN ledger.postings p ON p.transaction_id = tr.id ORDER BY o.seq DESC LIMIT 1`;
  await t.sql`ALTER TABLE ledger.postings DISABLE TRIGGER USER`;
  try {
    await t.sql`UPDATE ledger.postings SET amount = amount + 1 WHERE transaction_id = ${last!.transaction_id} AND amount > 0`;
  } finally {
    await t.sql`ALTER TABLE ledger.postings ENABLE TRIGGER USER`;
  }
  expect(await verifyChain(t.handle.db)).toMatchObject({ brokenAt: last!.seq });
});
