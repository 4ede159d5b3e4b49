/**
 * `npm run bench:ledger`: purchases/s and redemptions/s through the gateway, 50 clients, at one
 * merchant and spread over every merchant, each request a different user; and the same purchase
 * transaction as plain SQL on a pool of the same size (the physical baseline). Rounds interleave.
 *
 *   npm run bench:ledger                                  # a throw-away database on 127.0.0.1:5432
 *   BENCH_DURATION_MS=8000 BENCH_CONCURRENCY=50 npm run bench:ledger
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createLogger, DAY_MS, DEMO_MERCHANT_ID, DEV_JWT_SECRET, DEV_PII_KEY, DEV_SIGNING_SECRET } from '@greenpoints/common';
import { defaultSecurity, signToken } from '@greenpoints/gateway';
import { startStack } from '@greenpoints/stack';
import postgres from 'postgres';
import { plainPurchase as plainPurchaseRows } from './graph/plainPurchase.ts';
import { runLoad, type LoadResult } from './load.ts';

const env = process.env;
const concurrency = Number(env['BENCH_CONCURRENCY'] ?? 50);
const durationMs = Number(env['BENCH_DURATION_MS'] ?? 5_000);
const rounds = Number(env['BENCH_ROUNDS'] ?? 2);
const adminUrl = env['BENCH_ADMIN_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Connections per subgraph role and for the plain-SQL baseline alike (Postgres allows 100 in all here). */
const POOL = Number(env['BENCH_POOL'] ?? 10);

const name = `gp_bench_ledger_${Date.now()}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const stack = await startStack({
  db: { databaseUrl: url.toString(), poolMax: POOL },
  signingSecret: DEV_SIGNING_SECRET,
  security: defaultSecurity({ rateLimit: { max: 1_000_000_000, anonymousMax: 1_000_000_000, windowMs: 60_000 } }),
  piiKey: DEV_PII_KEY,
  logger: createLogger('error'),
  migrate: true,
  seedIfEmpty: true,
  seedUsers: Number(env['BENCH_USERS'] ?? 2_000),
  gatewayPort: 0,
  subgraphBasePort: 0,
});
const sql = postgres(url.toString(), { max: POOL, onnotice: () => {} });

const users = (await sql`SELECT user_id FROM ledger.user_copies WHERE status = 'ACTIVE' ORDER BY user_id`).map((r) => r['user_id'] as string);
const merchants = (await sql`SELECT merchant_id FROM ledger.merchant_copies WHERE status = 'ACTIVE' ORDER BY merchant_id`).map((r) => r['merchant_id'] as string);
const tokens = new Map<string, string>();
for (const m of merchants) tokens.set(m, await signToken({ role: 'merchant', merchantId: m }, DEV_JWT_SECRET));
const consumerTokens = await Promise.all(users.map((u) => signToken({ role: 'consumer', sub: u }, DEV_JWT_SECRET)));
// Plenty of budget for every merchant, and every user's points spendable, so the bench measures the write path.
await sql`UPDATE ledger.accounts SET balance = balance + 1000000000 WHERE kind = 'MERCHANT_ISSUANCE'`;
await sql`UPDATE ledger.lots SET available_at = now() - interval '1 second' WHERE available_at > now()`;
const reward = randomUUID();
await sql`INSERT INTO merchants.rewards (id, merchant_id, title, kind, points_cost, stock, valid_from, terms)
  VALUES (${reward}, ${DEMO_MERCHANT_ID}, 'Bench voucher', 'VOUCHER', 1, 100000000, ${new Date(Date.now() - DAY_MS)}, 'Bench.')`;

const RECORD = `mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) { id userId: user { id } points } }`;
const REDEEM = `mutation ($r: ID!, $key: ID!) { redeemReward(rewardId: $r, idempotencyKey: $key) { id status } }`;

/** Error codes seen, so a run that fails says why. */
const errorCodes = new Map<string, number>();
const count = (code: string) => errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);

async function gql(query: string, variables: Record<string, unknown>, token: string, check: (data: Record<string, unknown>) => boolean): Promise<boolean> {
  const res = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const json = (await res.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
  if (json.errors) count(json.errors[0]?.extensions?.code ?? `HTTP ${res.status}`);
  return res.ok && !json.errors && json.data !== undefined && check(json.data);
}

const purchaseAt = (merchantOf: (i: number) => string) => (i: number) => {
  const userId = users[Math.abs(i) % users.length]!;
  const merchantId = merchantOf(i);
  return gql(RECORD, { input: { userId, merchantId, amountMinor: 1_000 + (Math.abs(i) % 500) }, key: randomUUID() }, tokens.get(merchantId)!, (d) => (d['recordPurchase'] as { userId: { id: string } }).userId.id === userId);
};

/** The same write as recordPurchase, as plain SQL (graph/plainPurchase.ts). */
const plainPurchase = (merchantOf: (i: number) => string) => (i: number) =>
  plainPurchaseRows(sql, users[Math.abs(i) % users.length]!, merchantOf(i)).then(
    () => true,
    (error: unknown) => {
      count(`SQL ${(error as { code?: string }).code ?? 'error'}`);
      return false;
    },
  );

const one = () => DEMO_MERCHANT_ID;
const spread = (i: number) => merchants[Math.abs(i) % merchants.length]!;
const scenarios: [string, (i: number) => Promise<boolean>][] = [
  ['recordPurchase, one merchant (gateway)', purchaseAt(one)],
  ['recordPurchase, spread over merchants (gateway)', purchaseAt(spread)],
  ['same purchase as plain SQL, one merchant', plainPurchase(one)],
  ['same purchase as plain SQL, spread', plainPurchase(spread)],
  ['redeemReward, different users (gateway)', (i) => gql(REDEEM, { r: reward, key: randomUUID() }, consumerTokens[Math.abs(i) % users.length]!, (d) => (d['redeemReward'] as { status: string }).status === 'POSTED')],
];

/** BENCH_SCENARIOS=gateway,plain keeps only the scenarios whose names contain one of the words (for profiling one path). */
const only = env['BENCH_SCENARIOS']?.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
const chosen = only ? scenarios.filter(([label]) => only.some((w) => label.toLowerCase().includes(w))) : scenarios;
const results = new Map<string, LoadResult[]>();
for (let round = 0; round < rounds; round++) {
  for (const [label, send] of chosen) {
    const r = await runLoad(label, send, { concurrency, durationMs, warmupRequests: round === 0 ? 20 : 0 });
    results.set(label, [...(results.get(label) ?? []), r]);
  }
}
const best = (label: string) => Math.max(...(results.get(label)?.map((r) => r.rps) ?? [Number.NaN]));
console.log(`\nGreenpoints ledger bench — PostgreSQL, ${users.length} users, ${merchants.length} merchants, concurrency ${concurrency}, ${rounds} × ${durationMs} ms, node ${process.version}\n`);
console.table([...results.values()].flat());
const ratios = {
  'gateway purchase / plain SQL (one merchant)': best(scenarios[0]![0]) / best(scenarios[2]![0]),
  'gateway purchase / plain SQL (spread)': best(scenarios[1]![0]) / best(scenarios[3]![0]),
  'one merchant / spread (gateway)': best(scenarios[0]![0]) / best(scenarios[1]![0]),
};
for (const [k, v] of Object.entries(ratios)) console.log(`${k}: ${v.toFixed(2)}×`);
if (errorCodes.size > 0) console.log('errors by code:', Object.fromEntries(errorCodes));
console.log('targets (issue 9): gateway ≥ 0.3× plain SQL; one merchant ≥ 0.8× spread');

await sql.end();
await stack.stop();
await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.end();
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
const file = new URL(`../results/${new Date().toISOString().replace(/[:.]/g, '-')}-ledger.json`, import.meta.url);
writeFileSync(file, JSON.stringify({ concurrency, durationMs, rounds, node: process.version, results: Object.fromEntries(results), ratios }, null, 2));
console.log(`written to bench/${file.pathname.split('/bench/')[1]}`);
process.exit(0);
