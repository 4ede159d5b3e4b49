// Proves the analysts' figures are read once for many analysts asking at the same moment, reused (with the asOf of that read) for ANALYTICS_CACHE_TTL_MS, and read per request with a TTL of 0.
import { createLogger, listen, signRequest, type Listening } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import * as greenImpact from '@greenpoints/green-impact/server';
import * as ledger from '@greenpoints/ledger/server';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';
import { secrets } from '../helpers/stack.ts';

let t: FreshDb;
let client: postgres.Sql;
const statements: string[] = [];
const servers: { stop(): Promise<void> }[] = [];
const listening: Listening[] = [];

beforeAll(async () => {
  t = await freshDatabase();
  client = postgres(t.url, { max: 8, onnotice: () => {}, types: { bigint: postgres.BigInt } });
});
afterAll(async () => {
  for (const l of listening) await l.close();
  for (const s of servers) await s.stop();
  await client?.end();
  await t?.drop();
});

/** A subgraph on the test database whose SQL is logged to `statements`. */
async function serve(make: (db: Database) => { start(): Promise<void>; stop(): Promise<void>; handler: Parameters<typeof listen>[0] }) {
  const db = drizzle(client, { casing: 'snake_case', logger: { logQuery: (query) => statements.push(query) } }) as unknown as Database;
  const server = make(db);
  await server.start();
  servers.push(server);
  const l = await listen(server.handler, 0);
  listening.push(l);
  return l.url;
}

/** A request signed as analyst number `i`, as the gateway sends it. */
async function ask(url: string, subgraph: string, i: number, query: string) {
  const body = JSON.stringify({ query });
  const headers = signRequest({ principal: { role: 'analyst', sub: `analyst-${i}`, scopes: [] }, subgraph, body }, secrets.signingSecret);
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  expect(json.errors).toBeUndefined();
  return json.data!;
}

const LEDGER = '{ analytics { asOf issuance { total { points members } } membersByTier { activeMembers } settlementPositions { merchant { id } } } }';
const GREEN = '{ _entities(representations: [{ __typename: "Analytics", scope: "alliance" }]) { ... on Analytics { greenImpact { total { records co2eGrams } } } } }';
const flowsQueries = () => statements.filter((s) => s.includes('GROUPING SETS') && s.includes('"postings"')).length;
const impactQueries = () => statements.filter((s) => s.includes('GROUPING SETS') && s.includes('"impact_records"')).length;

describe('analytics shared among analysts', () => {
  it('reads the ledger figures once for 20 analysts at once, and reuses them with their asOf', async () => {
    const url = await serve((db) => ledger.createServer({ db, logger: createLogger('silent'), signingSecret: secrets.signingSecret, analyticsCacheTtlMs: 60_000 }));
    statements.length = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(url, 'ledger', i, LEDGER)));
    expect(flowsQueries()).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    const later = await ask(url, 'ledger', 99, LEDGER);
    expect(later).toEqual(answers[0]);
    expect(flowsQueries()).toBe(1);
    expect((answers[0]!['analytics'] as { issuance: { total: { points: number } } }).issuance.total.points).toBeGreaterThan(0);
  });

  it('reads them per request with a TTL of 0', async () => {
    const url = await serve((db) => ledger.createServer({ db, logger: createLogger('silent'), signingSecret: secrets.signingSecret, analyticsCacheTtlMs: 0 }));
    statements.length = 0;
    const first = (await ask(url, 'ledger', 1, LEDGER))['analytics'] as { asOf: string };
    await new Promise((r) => setTimeout(r, 5));
    const second = (await ask(url, 'ledger', 2, LEDGER))['analytics'] as { asOf: string };
    expect(flowsQueries()).toBe(2);
    expect(Date.parse(second.asOf)).toBeGreaterThan(Date.parse(first.asOf));
  });

  it('reads the impact groups once for 20 analysts at once', async () => {
    const url = await serve((db) => greenImpact.createServer({ db, logger: createLogger('silent'), signingSecret: secrets.signingSecret, analyticsCacheTtlMs: 60_000 }));
    statements.length = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(url, 'green-impact', i, GREEN)));
    expect(impactQueries()).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(JSON.stringify(answers[0])).toContain('co2eGrams');
  });
});
