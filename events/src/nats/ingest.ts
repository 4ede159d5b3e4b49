import type { Database } from '@greenpoints/db';
import type { EventTables } from '@greenpoints/db/schema/outbox';
import type { JsMsg } from '@nats-io/jetstream';
import { sql } from 'drizzle-orm';
import { STREAMS, type StreamName } from '../contracts/index.ts';
import { enqueue, envelopeSchema, type Envelope } from '../envelope.ts';
import { queryRows } from '@greenpoints/db';
import { CONSUMER_NAMES, subscribedTypes, type ConsumerName } from '../subscriptions.ts';
import { streamName, type JetStream } from './jetstream.ts';

const INGEST_LOCK_NAMESPACE = 0x6770_0002;
/** JetStream's smallest fetch expiry; it only matters when fewer messages arrive than were counted. */
const FETCH_EXPIRES_MS = 1_000;

export interface IngestLog {
  warn(obj: unknown, msg?: string): void;
}

interface Target {
  consumer: ConsumerName;
  stream: StreamName;
  inbox: EventTables['inbox'];
  batchSize: number;
}

/**
 * Moves one batch from the consumer's durable JetStream consumer into its inbox, then acknowledges
 * it (at least once: a crash before the ack redelivers, and the inbox ignores event ids it holds).
 * One ingester per (consumer, stream) at a time, by advisory lock, so copies never interleave
 * batches. Fetches only as many messages as are waiting, so an idle poll returns at once.
 */
export async function ingestOnce(
  db: Database,
  nats: JetStream,
  consumer: ConsumerName,
  stream: StreamName,
  inbox: EventTables['inbox'],
  batchSize: number,
  log: IngestLog,
): Promise<number> {
  const messages: JsMsg[] = [];
  try {
    await fetchIntoInbox(db, nats, { consumer, stream, inbox, batchSize }, messages, log);
  } catch (err) {
    // Not in the inbox: ask for redelivery now rather than after the ack wait (the order is kept,
    // since nothing newer is delivered while these are unacknowledged).
    for (const m of messages) m.nak();
    throw err;
  }
  // Acknowledgements travel in order on one connection: waiting for the server to confirm the last
  // one means the next poll's pending counts no longer include this batch (else it would wait
  // for messages that will not come, up to the fetch expiry).
  const last = messages.pop();
  for (const m of messages) m.ack();
  if (last) await last.ackAck({ timeout: 5_000 });
  return messages.length + (last ? 1 : 0);
}

async function fetchIntoInbox(db: Database, nats: JetStream, target: Target, messages: JsMsg[], log: IngestLog): Promise<void> {
  const { consumer, stream } = target;
  await db.transaction(async (tx) => {
    const key = CONSUMER_NAMES.indexOf(consumer) * STREAMS.length + STREAMS.indexOf(stream);
    const [lock] = await queryRows<{ locked: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${INGEST_LOCK_NAMESPACE}, ${key}) AS locked`);
    if (!lock?.locked) return;
    const durable = await nats.js.consumers.get(streamName(nats.prefix, stream), consumer);
    // `get` has just asked the server for the consumer's state, so its cached info is fresh.
    const info = await durable.info(true);
    const waiting = Math.min(target.batchSize, info.num_pending + info.num_ack_pending);
    if (waiting === 0) return;
    const fetched = await durable.fetch({ max_messages: waiting, expires: FETCH_EXPIRES_MS });
    const envelopes: Envelope[] = [];
    const wanted = new Set<string>(subscribedTypes(consumer, stream));
    for await (const m of fetched) {
      messages.push(m);
      const parsed = envelopeSchema.safeParse(safeJson(m.string()));
      if (!parsed.success) log.warn({ stream, seq: m.seq, issues: parsed.error.issues.slice(0, 3) }, 'not an event envelope; dropped');
      else if (wanted.has(parsed.data.type)) envelopes.push(parsed.data);
    }
    await enqueue(tx, target.inbox, envelopes);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
