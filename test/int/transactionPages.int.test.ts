// Proves a user's transaction pages (as party and as counterparty of transfers, by type, after a cursor, for many users at once) are exactly what a plain query over all their rows gives, and that a page reads only as many rows as it shows, however long the history.
import { randomUUID } from 'node:crypto';
import { connect, queryRows } from '@greenpoints/db';
import { createTransactionsRepository } from '@greenpoints/ledger/repositories/transactionsRepository';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
const [alice, bob, carol] = [randomUUID(), randomUUID(), randomUUID()];
const base = Date.parse('2026-01-01T00:00:00Z');

interface Row {
  id: string;
  type: string;
  user_id: string;
  counterparty_id: string | null;
  created_at: Date;
}

/**
 * 600 transactions among three household members: purchases, transfers each way, a few refunds;
 * pairs share a timestamp, so the id breaks ties.
 */
function history(): Row[] {
  const people = [alice, bob, carol];
  return Array.from({ length: 600 }, (_, i) => {
    const user = people[i % 3]!;
    const other = people[(i + 1 + (i % 2)) % 3]!;
    const type = i % 5 === 0 ? 'TRANSFER' : i % 11 === 0 ? 'REFUND' : 'PURCHASE';
    return { id: randomUUID(), type, user_id: user, counterparty_id: type === 'TRANSFER' ? other : null, created_at: new Date(base + Math.floor(i / 2) * 60_000) };
  });
}

beforeAll(async () => {
  t = await freshDatabase();
  const rows = history();
  await t.sql`INSERT INTO ledger.transactions (id, type, idempotency_key, user_id, counterparty_id, description, created_at)
    SELECT r.id, r.type, 'page-test:' || r.id, r.user_id, r.counterparty_id, r.type, r.created_at
    FROM jsonb_populate_recordset(NULL::ledger.transactions, ${t.sql.json(rows as never)}) r`;
  await t.sql`ANALYZE ledger.transactions`;
});
afterAll(async () => {
  await t?.drop();
});

/** Every transaction the user sees, newest first: the plain query, with no limit. */
async function everything(user: string, types?: string[]): Promise<string[]> {
  const rows = await t.sql`SELECT id::text FROM ledger.transactions
    WHERE (user_id = ${user} OR counterparty_id = ${user}) AND (${types ?? null}::text[] IS NULL OR type = ANY(${types ?? null}::text[]))
    ORDER BY created_at DESC, id DESC`;
  return rows.map((r) => r['id'] as string);
}

describe("a user's transaction pages", () => {
  it.each([
    { what: 'all types', types: undefined, limit: 7 },
    { what: 'transfers only', types: ['TRANSFER'], limit: 4 },
    { what: 'refunds and transfers', types: ['REFUND', 'TRANSFER'], limit: 25 },
  ])('page through $what for three users at once, exactly as the plain query orders them', async ({ types, limit }) => {
    const repo = createTransactionsRepository(t.handle.db);
    const users = [alice, bob, carol];
    const seen = new Map<string, string[]>(users.map((u) => [u, []]));
    const cursor = new Map<string, { at: string; id: string } | undefined>();
    // Each round asks for every user still paging, each after their own cursor, one statement per cursor.
    for (let round = 0; round < 200 && users.some((u) => cursor.get(u) !== null); round++) {
      for (const user of users) {
        if (cursor.get(user) === null) continue;
        const page = (await repo.userTransactionIds({ userIds: users, types, before: cursor.get(user), limit })).get(user)!;
        seen.get(user)!.push(...page);
        if (page.length < limit) {
          cursor.set(user, null as never);
          continue;
        }
        const [last] = await t.sql`SELECT created_at, id::text FROM ledger.transactions WHERE id = ${page.at(-1)!}`;
        cursor.set(user, { at: (last!['created_at'] as Date).toISOString(), id: last!['id'] as string });
      }
    }
    for (const user of users) {
      const expected = await everything(user, types);
      expect(expected.length).toBeGreaterThan(limit);
      expect(seen.get(user)).toEqual(expected);
    }
  });

  it('reads no more rows than the page shows, whatever the length of the history', async () => {
    // The repository's own statement, as prepared on one connection, run again there with EXPLAIN ANALYZE.
    const handle = await connect({ databaseUrl: t.url, poolMax: 1 });
    try {
      const limit = 6;
      await createTransactionsRepository(handle.db).userTransactionIds({ userIds: [alice], limit });
      const [statement] = await queryRows<{ name: string; parameter_types: string[] }>(
        handle.db,
        sql`SELECT name, parameter_types::text[] AS parameter_types FROM pg_prepared_statements WHERE statement LIKE '%CROSS JOIN LATERAL%' AND from_sql = false`,
      );
      const args = statement!.parameter_types.map((type) => (type === 'uuid' || type === 'text' ? `'${alice}'` : String(limit)));
      const [explained] = await queryRows<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(handle.db, sql.raw(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE "${statement!.name}"(${args.join(', ')})`));
      const scans: { node: string; rows: number }[] = [];
      const walk = (node: PlanNode) => {
        if (node['Relation Name'] === 'transactions') scans.push({ node: node['Node Type'], rows: node['Actual Rows'] });
        for (const child of node.Plans ?? []) walk(child);
      };
      walk(explained!['QUERY PLAN'][0]!.Plan);
      expect((await everything(alice)).length).toBeGreaterThan(200);
      expect(scans).toHaveLength(2);
      for (const scan of scans) expect(scan.rows, `${scan.node} read ${scan.rows} rows for a page of ${limit}`).toBeLessThanOrEqual(limit);
    } finally {
      await handle.close();
    }
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  Plans?: PlanNode[];
}
