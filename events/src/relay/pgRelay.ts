import type { Database, Transaction } from '@greenpoints/db';
import { asc, inArray, isNull, sql } from 'drizzle-orm';
import type { StreamName } from '../contracts/index.ts';
import { queryRows } from '@greenpoints/db';
import { enqueue, envelopeOf, type Envelope } from '../envelope.ts';
import { consumersOf, subscribedTypes } from '../subscriptions.ts';
import { RELAY_LOCK_NAMESPACE, streamIndex, TABLES_OF_CONSUMER, TABLES_OF_STREAM } from './topology.ts';

/** Where a batch of outbox events goes: consumers' inboxes in Postgres, or JetStream. */
export type Sink = (tx: Transaction, stream: StreamName, envelopes: Envelope[]) => Promise<void>;

/**
 * Moves up to `batchSize` unpublished events of one stream to the sink and marks them published,
 * in one transaction. A transaction-scoped advisory lock per stream makes the relay safe to run as
 * several copies: a copy that does not get the lock skips the stream, so no event is handed on
 * twice at once and the order of positions is kept. Returns how many events were relayed.
 */
export async function relayStreamOnce(db: Database, stream: StreamName, sink: Sink, batchSize: number): Promise<number> {
  const { outbox } = TABLES_OF_STREAM[stream];
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(
      tx,
      sql`SELECT pg_try_advisory_xact_lock(${RELAY_LOCK_NAMESPACE}, ${streamIndex(stream)}) AS locked`,
    );
    if (!lock?.locked) return 0;
    const rows = await tx.select().from(outbox).where(isNull(outbox.publishedAt)).orderBy(asc(outbox.position)).limit(batchSize);
    if (rows.length === 0) return 0;
    await sink(tx, stream, rows.map((r) => envelopeOf(stream, r)));
    await tx
      .update(outbox)
      .set({ publishedAt: sql`now()` })
      .where(inArray(outbox.position, rows.map((r) => r.position)));
    return rows.length;
  });
}

/** Postgres-only delivery: copy each event into the inbox of every consumer subscribed to its type. */
export const postgresSink: Sink = async (tx, stream, envelopes) => {
  for (const consumer of consumersOf(stream)) {
    const types = new Set<string>(subscribedTypes(consumer, stream));
    await enqueue(tx, TABLES_OF_CONSUMER[consumer].inbox, envelopes.filter((e) => types.has(e.type)));
  }
};
