// Proves a list of users' or merchants' green reports costs one grouped query (per period), not one per row, and that merchants' reports read their sums from the daily rollup, with one pass over the records deciding every merchant's cells.
import { createLogger, listen, signRequest, type Listening } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { DEFAULT_MIN_GROUP_SIZE } from '@greenpoints/green-impact/domain/kAnonymity';
import { createServer } from '@greenpoints/green-impact/server';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';
import { secrets } from '../helpers/stack.ts';

let t: FreshDb;
let client: postgres.Sql;
let server: ReturnType<typeof createServer>;
let listening: Listening;
const statements: string[] = [];

beforeAll(async () => {
  t = await freshDatabase();
  client = postgres(t.url, { max: 2, onnotice: () => {}, types: { bigint: postgres.BigInt } });
  const db = drizzle(client, { casing: 'snake_case', logger: { logQuery: (query) => statements.push(query) } }) as unknown as Database;
  server = createServer({ db, logger: createLogger('silent'), signingSecret: secrets.signingSecret });
  await server.start();
  listening = await listen(server.handler, 0);
});
afterAll(async () => {
  await listening?.close();
  await server?.stop();
  await client?.end();
  await t?.drop();
});

/** Twelve published UTC months (a month is published a day after it ends): the seeded history, covered whole by aggregate reports. */
const CLOSED = (() => {
  const now = new Date(Date.now() - 86_400_000);
  return { from: new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1)), to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) };
})();

/** The gateway's request for many entities' reports at once, signed as an admin's. */
async function entities(typename: 'User' | 'Merchant', ids: string[]) {
  const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { greenImpact(period: { from: "${CLOSED.from.toISOString()}", to: "${CLOSED.to.toISOString()}" }) { totals { co2eGrams records } byCategory { category } } } } }`;
  const body = JSON.stringify({ query, variables: { r: ids.map((id) => ({ __typename: typename, id })) } });
  const headers = signRequest({ principal: { role: 'admin', sub: 'ops-1', scopes: [] }, subgraph: 'green-impact', body }, secrets.signingSecret);
  statements.length = 0;
  const res = await fetch(listening.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await res.json()) as { data: { _entities: { greenImpact: { totals: { co2eGrams: number; records: number } } | null }[] }; errors?: unknown[] };
  const on = (table: string) => statements.filter((s) => s.includes(`"${table}"`)).length;
  return { json, impactQueries: on('impact_records'), rollupQueries: { daily: on('impact_daily'), people: on('impact_day_people'), members: on('impact_day_members') } };
}

/** One consumer's own report rank, signed as that consumer. */
async function ownRank(userId: string, period: { from: string; to: string }) {
  const query = `query ($r: [_Any!]!, $p: PeriodInput) { _entities(representations: $r) { ... on User { greenImpact(period: $p) { rank { members percentile } } } } }`;
  const body = JSON.stringify({ query, variables: { r: [{ __typename: 'User', id: userId }], p: period } });
  const headers = signRequest({ principal: { role: 'consumer', sub: userId, scopes: [] }, subgraph: 'green-impact', body }, secrets.signingSecret);
  const res = await fetch(listening.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await res.json()) as { data: { _entities: { greenImpact: { rank: { members: number; percentile: number } | null } }[] }; errors?: unknown[] };
  expect(json.errors).toBeUndefined();
  return json.data._entities[0]!.greenImpact.rank;
}

describe('report batching', () => {
  it('answers 100 users with one query on impact records', async () => {
    const ids = (await t.sql`SELECT DISTINCT user_id FROM green.impact_records ORDER BY user_id LIMIT 100`).map((r) => r['user_id'] as string);
    const { json, impactQueries } = await entities('User', ids);
    expect(json.errors).toBeUndefined();
    expect(json.data._entities).toHaveLength(100);
    expect(json.data._entities.some((e) => (e.greenImpact?.totals.records ?? 0) > 0)).toBe(true);
    expect(impactQueries).toBe(1);
  });

  it('answers every merchant from the rollup (one query for the sums) and one pass over the records deciding every merchant cell', async () => {
    const ids = (await t.sql`SELECT id FROM merchants.merchants ORDER BY id`).map((r) => r['id'] as string);
    const { json, impactQueries, rollupQueries } = await entities('Merchant', ids);
    expect(json.data._entities).toHaveLength(ids.length);
    expect(impactQueries).toBe(1);
    expect(rollupQueries.daily).toBe(1);
    // Which of a merchant's cells are large comes from the one pass over the records, not the day counts.
    expect(rollupQueries.people).toBe(0);
    expect(rollupQueries.members).toBe(0);
    // Each report shown equals the sum over its merchant's records recorded in the period, in its month × category
    // cells of at least k (the default 10) distinct customers.
    const { from, to } = CLOSED;
    const sums = await t.sql`
      WITH r AS (SELECT merchant_id::text AS id, category, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, user_id, co2e_grams
                 FROM green.impact_records WHERE recorded_at >= ${from} AND recorded_at < ${to} AND merchant_id IS NOT NULL),
      cells AS (SELECT id, category, month FROM r GROUP BY 1, 2, 3 HAVING count(DISTINCT user_id) >= ${DEFAULT_MIN_GROUP_SIZE})
      SELECT r.id, sum(r.co2e_grams)::bigint AS co2e, count(*)::int AS records FROM r JOIN cells USING (id, category, month) GROUP BY 1`;
    const shown = ids.map((id, i) => ({ id, report: json.data._entities[i]?.greenImpact })).filter((e) => e.report);
    expect(shown.length).toBeGreaterThan(0);
    for (const { id, report } of shown) {
      const row = sums.find((r) => r['id'] === id);
      expect(report!.totals).toEqual({ co2eGrams: Number(row?.['co2e'] ?? 0), records: row?.['records'] ?? 0 });
    }
  });

  it('ranks 30 consumers asking at once with one pass over the period, each exactly', async () => {
    const users = (await t.sql`SELECT DISTINCT user_id FROM green.impact_records ORDER BY user_id LIMIT 30`).map((r) => r['user_id'] as string);
    // A period no other test asked for: whole UTC days from 200 days ago to today.
    const from = new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10);
    const period = { from: `${from}T00:00:00Z`, to: new Date().toISOString() };
    const to = new Date(Date.parse(`${period.to.slice(0, 10)}T00:00:00Z`) + 86_400_000).toISOString();
    statements.length = 0;
    const ranks = await Promise.all(users.map((u) => ownRank(u, period)));
    expect(statements.filter((s) => s.includes('members AS')).length).toBe(1);
    const exact = await t.sql`
      WITH totals AS (SELECT user_id, sum(co2e_grams) AS v FROM green.impact_records WHERE occurred_at >= ${period.from} AND occurred_at < ${to} GROUP BY 1),
      members AS (SELECT DISTINCT user_id FROM green.impact_records)
      SELECT m.user_id, count(*) OVER ()::int AS members, (SELECT count(*) FROM members m2 LEFT JOIN totals t2 ON t2.user_id = m2.user_id WHERE coalesce(t2.v, 0) < coalesce(t.v, 0))::int AS below
      FROM members m LEFT JOIN totals t ON t.user_id = m.user_id`;
    const byUser = new Map(exact.map((r) => [r['user_id'] as string, r]));
    ranks.forEach((rank, i) => {
      const row = byUser.get(users[i]!)!;
      expect(rank).toEqual({ members: row['members'], percentile: Math.round((1000 * row['below']) / row['members']) / 10 });
    });
  });
});
