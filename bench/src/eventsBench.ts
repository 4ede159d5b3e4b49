import { randomBytes } from 'node:crypto';
import type { Database } from '@greenpoints/db';
import { usersOutbox } from '@greenpoints/db/schema/users';
import { drain, openConsumer, publish, runWorker, type DeliveryOptions } from '@greenpoints/events';
import { connectJetStream, deleteStreams } from '@greenpoints/events/nats/jetstream';
import { openRelay } from '@greenpoints/events/relay/index';
import { queryRows } from '@greenpoints/db';
import { ledgerConsumer } from '@greenpoints/ledger/consumers/index';
import { sql } from 'drizzle-orm';

export interface EventsResult {
  mode: 'postgres' | 'nats';
  backlog: number;
  relayEventsPerSec: number;
  consumerEventsPerSec: number;
  live: { published: number; publishedPerSec: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number };
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
/** Events per publishing transaction when filling the backlog. */
const BACKLOG_TX = 500;

/** Status changes of `users` users, round-robin, as the users service would publish them. */
async function publishBatch(db: Database, users: string[], count: number, offset: number): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < count; i++) {
      const userId = users[(offset + i) % users.length]!;
      const frozen = Math.floor((offset + i) / users.length) % 2 === 0;
      await publish(tx, usersOutbox, 'UserStatusChanged', { userId, status: frozen ? 'FROZEN' : 'ACTIVE', previousStatus: frozen ? 'ACTIVE' : 'FROZEN' });
    }
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Two measurements per mode. Backlog: `backlog` events waiting, then the relay alone drains them
 * (relay events/s), then the ledger's consumer alone (consumer events/s). Live: `concurrency`
 * publishers offering `ratePerSec` in total for `durationMs`, with relay and consumer running;
 * latency is from the publishing transaction to the consumer's commit of the event
 * (inbox.applied_at − outbox.occurred_at). An offered rate above what the consumer sustains shows
 * up as queueing: latency then grows with the duration.
 */
export async function benchEvents(db: Database, users: string[], delivery: DeliveryOptions, o: { backlog: number; durationMs: number; concurrency: number; ratePerSec: number }): Promise<EventsResult> {
  for (let done = 0; done < o.backlog; done += BACKLOG_TX) await publishBatch(db, users, Math.min(BACKLOG_TX, o.backlog - done), done);
  const relay = await openRelay(db, delivery);
  let started = performance.now();
  const relayed = await drain(relay, 100_000);
  const relaySec = (performance.now() - started) / 1000;
  const consumer = await openConsumer(db, ledgerConsumer, delivery, quiet);
  started = performance.now();
  const applied = await drain(consumer, 100_000);
  const consumerSec = (performance.now() - started) / 1000;
  if (relayed < o.backlog || applied < o.backlog) throw new Error(`backlog not delivered: relayed ${relayed}, applied ${applied} of ${o.backlog}`);

  const [mark] = await queryRows<{ id: number }>(db, sql`SELECT coalesce(max(id), 0)::int AS id FROM ledger.inbox`);
  const running = [runWorker(relay, delivery.pollMs, quiet), runWorker(consumer, delivery.pollMs, quiet)];
  const startedAt = Date.now();
  const until = startedAt + o.durationMs;
  // Each publisher paces itself so that together they offer `ratePerSec` (0: as fast as they can).
  const intervalMs = o.ratePerSec > 0 ? (1000 * o.concurrency) / o.ratePerSec : 0;
  let published = 0;
  await Promise.all(
    Array.from({ length: o.concurrency }, async (_, worker) => {
      for (let n = 0; Date.now() < until; n++) {
        const due = startedAt + n * intervalMs - Date.now();
        if (due > 0) await new Promise((r) => setTimeout(r, due));
        await publishBatch(db, users, 1, worker * 1_000_003 + n);
        published += 1;
      }
    }),
  );
  const pending = async () => (await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ledger.inbox WHERE status = 'PENDING'`))[0]?.n ?? 0;
  for (let i = 0; i < 600 && ((await pending()) > 0 || (await relay.step()) > 0); i++) await new Promise((r) => setTimeout(r, 50));
  for (const w of running) await w.stop();

  const latencies = (
    await queryRows<{ ms: number }>(
      db,
      sql`SELECT extract(epoch FROM i.applied_at - o.occurred_at) * 1000 AS ms FROM ledger.inbox i
          JOIN users.outbox o ON o.event_id = i.event_id WHERE i.id > ${mark?.id ?? 0} AND i.status = 'DONE'`,
    )
  )
    .map((r) => Number(r.ms))
    .sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    mode: delivery.natsUrl ? 'nats' : 'postgres',
    backlog: o.backlog,
    relayEventsPerSec: Math.round(relayed / relaySec),
    consumerEventsPerSec: Math.round(applied / consumerSec),
    live: {
      published,
      publishedPerSec: Math.round(published / (o.durationMs / 1000)),
      p50Ms: round(percentile(latencies, 50)),
      p95Ms: round(percentile(latencies, 95)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(latencies.at(-1) ?? 0),
    },
  };
}

/** JetStream streams of the bench's own, removed afterwards. */
export async function withBenchStreams<T>(natsUrl: string, delivery: DeliveryOptions, run: (d: DeliveryOptions) => Promise<T>): Promise<T> {
  const d = { ...delivery, natsUrl, natsPrefix: `BENCH${randomBytes(3).toString('hex')}` };
  const nats = await connectJetStream(natsUrl, d.natsPrefix, 'bench');
  try {
    return await run(d);
  } finally {
    await deleteStreams(nats);
    await nats.close();
  }
}
