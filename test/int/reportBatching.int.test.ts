// Proves a list of users' or merchants' green reports costs one grouped query (per period), not one per row.
import { createLogger, listen, signRequest, type Listening } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
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

/** The gateway's request for many entities' reports at once, signed as an admin's. */
async function entities(typename: 'User' | 'Merchant', ids: string[]) {
  const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { greenImpact(period: { year: ${new Date().getUTCFullYear()} }) { totals { co2eGrams records } byCategory { category } } } } }`;
  const body = JSON.stringify({ query, variables: { r: ids.map((id) => ({ __typename: typename, id })) } });
  const headers = signRequest({ principal: { role: 'admin', sub: 'ops-1', scopes: [] }, subgraph: 'green-impact', body }, secrets.signingSecret);
  statements.length = 0;
  const res = await fetch(listening.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await res.json()) as { data: { _entities: { greenImpact: { totals: { records: number } } | null }[] }; errors?: unknown[] };
  return { json, impactQueries: statements.filter((s) => s.includes('"impact_records"')).length };
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

  it('answers every merchant with one query for the sums and one for the group sizes', async () => {
    const ids = (await t.sql`SELECT id FROM merchants.merchants ORDER BY id`).map((r) => r['id'] as string);
    const { json, impactQueries } = await entities('Merchant', ids);
    expect(json.data._entities).toHaveLength(ids.length);
    expect(impactQueries).toBe(2);
  });
});
