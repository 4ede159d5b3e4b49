/**
 * Load scenarios against the whole graph in this process, printed as a table and written to
 * bench/results/. Baseline: the same catalogue query sent straight to the merchants subgraph
 * (signed as the gateway would), so "gateway overhead" is measured rather than guessed.
 *
 *   npm run bench                          # embedded PGlite
 *   DATABASE_URL=postgres://… npm run bench  # real Postgres (the numbers that matter)
 *   BENCH_DURATION_MS=10000 BENCH_CONCURRENCY=16 npm run bench
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createLogger, DEMO_CONSUMER_ID, DEMO_MERCHANT_ID, DEV_JWT_SECRET, DEV_PII_KEY, DEV_SIGNING_SECRET, signRequest } from '@greenpoints/common';
import { defaultSecurity, signToken } from '@greenpoints/gateway';
import { startStack } from '@greenpoints/stack';
import { runLoad, type LoadResult } from './load.ts';

// A benchmark is a developer tool: it reads its knobs here rather than through a service config.
const env = process.env;
const durationMs = Number(env['BENCH_DURATION_MS'] ?? 5_000);
const concurrency = Number(env['BENCH_CONCURRENCY'] ?? 8);

const OVERVIEW = `{ me { displayName points { balance pending tier transactions(first: 10) { edges { node { type points merchant { name } } } } }
  greenImpact { totals { co2eKg } } } catalog(first: 10) { edges { node { title currentPointsCost merchant { name } } } } }`;
const CATALOG = `{ catalog(first: 20) { edges { node { id title kind pointsCost currentPointsCost stock } } } }`;
const RECORD = `mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) { id points } }`;

const stack = await startStack({
  db: env['DATABASE_URL'] ? { databaseUrl: env['DATABASE_URL'], poolMax: 20 } : { pgliteDataDir: 'memory://' },
  signingSecret: DEV_SIGNING_SECRET,
  // Load comes from one address and a few principals: lift the rate limits, keep everything else.
  security: defaultSecurity({ rateLimit: { max: 1_000_000_000, anonymousMax: 1_000_000_000, windowMs: 60_000 } }),
  piiKey: DEV_PII_KEY,
  logger: createLogger('error'),
  migrate: true,
  seedIfEmpty: true,
  gatewayPort: 0,
  subgraphBasePort: 0,
});

async function post(url: string, body: unknown, headers: Record<string, string> | ((body: string) => Record<string, string>)): Promise<boolean> {
  const text = JSON.stringify(body);
  const signed = typeof headers === 'function' ? headers(text) : headers;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body: text });
  const json = (await res.json()) as { errors?: unknown[] };
  return res.ok && !json.errors;
}

const consumer = { authorization: `Bearer ${await signToken({ sub: DEMO_CONSUMER_ID, role: 'consumer' }, DEV_JWT_SECRET)}` };
const merchant = { authorization: `Bearer ${await signToken({ role: 'merchant', merchantId: DEMO_MERCHANT_ID }, DEV_JWT_SECRET)}` };
const opts = { concurrency, durationMs };
const scenarios: [string, (i: number) => Promise<boolean>][] = [
  ['baseline: catalog, merchants subgraph direct', () =>
    post(stack.subgraphUrls['merchants']!, { query: CATALOG }, (text) =>
      signRequest({ principal: { role: 'anonymous', scopes: [] }, subgraph: 'merchants', body: text }, DEV_SIGNING_SECRET))],
  ['catalog via gateway (1 subgraph)', () => post(stack.gatewayUrl, { query: CATALOG }, {})],
  ['overview via gateway (4 subgraphs)', () => post(stack.gatewayUrl, { query: OVERVIEW }, consumer)],
  ['recordPurchase via gateway (write)', (i) =>
    post(stack.gatewayUrl, { query: RECORD, variables: { input: { userId: DEMO_CONSUMER_ID, merchantId: DEMO_MERCHANT_ID, amountMinor: 1_000 + (i % 500) }, key: randomUUID() } }, merchant)],
];
// Warm every path first (JIT, connection pools, query-plan cache), so the order of scenarios does not bias them.
for (const [name, send] of scenarios) await runLoad(name, send, { concurrency, durationMs: 1_000 });
const results: LoadResult[] = [];
for (const [name, send] of scenarios) results.push(await runLoad(name, send, opts));
await stack.stop();

const driver = env['DATABASE_URL'] ? 'postgres' : 'pglite';
console.log(`\nGreenpoints bench — ${driver}, concurrency ${concurrency}, ${durationMs} ms per scenario, node ${process.version}\n`);
console.table(results);
const baseline = results[0]!;
const gateway = results[1]!;
console.log(`gateway vs direct on the same query: ${(gateway.p50Ms - baseline.p50Ms).toFixed(2)} ms at p50, throughput ${((gateway.rps / baseline.rps) * 100).toFixed(0)}% of direct`);
console.log('(the gateway deduplicates identical in-flight subgraph requests, which is why it can beat direct calls on one repeated query)');
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
const file = new URL(`../results/${new Date().toISOString().replace(/[:.]/g, '-')}-${driver}.json`, import.meta.url);
writeFileSync(file, JSON.stringify({ driver, concurrency, durationMs, node: process.version, results }, null, 2));
console.log(`written to bench/${file.pathname.split('/bench/')[1]}`);
process.exit(0);
