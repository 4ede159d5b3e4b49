/**
 * Event delivery under load, Postgres-only and through NATS JetStream: relay events/s, consumer
 * events/s, and publish-to-applied latency (p50/p95/p99) with publishers, relay and consumer running.
 * Needs PostgreSQL (a throw-away database is created and dropped) and, for the JetStream row, NATS.
 *
 *   npm run bench:events
 *   BENCH_EVENTS_BACKLOG=20000 BENCH_EVENTS_RATE=1000 BENCH_DURATION_MS=10000 BENCH_CONCURRENCY=16 npm run bench:events
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { DEV_PII_KEY } from '@greenpoints/common';
import { connect, migrate } from '@greenpoints/db';
import { DEFAULT_DELIVERY } from '@greenpoints/events';
import { seed } from '@greenpoints/stack';
import postgres from 'postgres';
import { benchEvents, withBenchStreams, type EventsResult } from './eventsBench.ts';

// A benchmark is a developer tool: it reads its knobs here rather than through a service config.
const env = process.env;
const adminUrl = env['BENCH_ADMIN_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const options = {
  backlog: Math.min(200_000, Number(env['BENCH_EVENTS_BACKLOG'] ?? 5_000)),
  durationMs: Math.min(120_000, Number(env['BENCH_DURATION_MS'] ?? 5_000)),
  concurrency: Math.min(64, Number(env['BENCH_CONCURRENCY'] ?? 8)),
  /** Offered load in the live phase, events/s in total; 0 = unpaced (saturate). */
  ratePerSec: Math.min(100_000, Number(env['BENCH_EVENTS_RATE'] ?? 500)),
};
const delivery = { ...DEFAULT_DELIVERY, batchSize: 200, pollMs: 10 };

async function onFreshDatabase(run: (db: Awaited<ReturnType<typeof connect>>['db'], users: string[]) => Promise<EventsResult>): Promise<EventsResult> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const name = `gp_bench_events_${process.pid}_${Date.now()}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await connect({ databaseUrl: url.toString(), poolMax: options.concurrency + 4 });
  try {
    await migrate(handle);
    await seed(handle.db, { piiKey: DEV_PII_KEY, users: 200 });
    const users = (await postgres(url.toString(), { max: 1 })`SELECT id FROM users.users ORDER BY id`).map((r) => r['id'] as string);
    return await run(handle.db, users);
  } finally {
    await handle.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const results: EventsResult[] = [];
results.push(await onFreshDatabase((db, users) => benchEvents(db, users, delivery, options)));
try {
  results.push(await withBenchStreams(natsUrl, delivery, (d) => onFreshDatabase((db, users) => benchEvents(db, users, d, options))));
} catch (err) {
  console.error(`JetStream row skipped: ${String(err)}`);
}

console.log(`\nevent delivery: backlog ${options.backlog}; live ${options.concurrency} publishers offering ${options.ratePerSec || 'max'} ev/s for ${options.durationMs} ms; batch ${delivery.batchSize}\n`);
console.log('| path | relay ev/s | consumer ev/s | live published/s | p50 ms | p95 ms | p99 ms | max ms |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.mode} | ${r.relayEventsPerSec} | ${r.consumerEventsPerSec} | ${r.live.publishedPerSec} | ${r.live.p50Ms} | ${r.live.p95Ms} | ${r.live.p99Ms} | ${r.live.maxMs} |`);
}
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`../results/events-${Date.now()}.json`, import.meta.url), JSON.stringify({ options, results }, null, 2));
process.exit(0);
