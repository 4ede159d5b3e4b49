import type { Database } from '@greenpoints/db';
import { and, asc, gt, gte, inArray, isNotNull, sql } from 'drizzle-orm';
import type { StreamName } from '../contracts/index.ts';
import { envelopeOf } from '../envelope.ts';
import { TABLES_OF_CONSUMER, TABLES_OF_STREAM } from '../relay/topology.ts';
import { streamsOf, subscribedTypes, type ConsumerName } from '../subscriptions.ts';

/** Rows re-queued per transaction, so a replay of a long history never holds one huge transaction. */
const REPLAY_BATCH = 1_000;

/**
 * Delivers a consumer's events again, from `from` (an outbox position of each stream; 0 = from the
 * start of what the outboxes retain): each is put back in the consumer's inbox as pending and its
 * processed mark and dead letter are removed, so the handlers run again, in order per aggregate.
 * Handlers are written as idempotent upserts, so replaying over a live read model is safe; replaying
 * into an emptied one rebuilds it. Only this consumer is affected. Returns how many were re-queued.
 */
export async function replay(db: Database, consumer: ConsumerName, from: number, onlyStream?: StreamName): Promise<number> {
  const { inbox, processedEvents, deadLetters } = TABLES_OF_CONSUMER[consumer];
  let total = 0;
  for (const stream of streamsOf(consumer).filter((s) => !onlyStream || s === onlyStream)) {
    const { outbox } = TABLES_OF_STREAM[stream];
    const types = subscribedTypes(consumer, stream);
    let after = Math.max(0, from) - 1;
    for (;;) {
      const rows = await db
        .select()
        .from(outbox)
        // Unpublished events are still on their way; the relay will deliver them once, in order.
        .where(and(gte(outbox.position, from), gt(outbox.position, after), isNotNull(outbox.publishedAt), inArray(outbox.type, types)))
        .orderBy(asc(outbox.position))
        .limit(REPLAY_BATCH);
      if (rows.length === 0) break;
      after = rows.at(-1)!.position;
      const ids = rows.map((r) => r.eventId);
      await db.transaction(async (tx) => {
        await tx.delete(processedEvents).where(inArray(processedEvents.eventId, ids));
        await tx.delete(deadLetters).where(inArray(deadLetters.eventId, ids));
        const values = rows.map((r) => {
          const e = envelopeOf(stream, r);
          return { ...e, occurredAt: new Date(e.occurredAt) };
        });
        await tx
          .insert(inbox)
          .values(values)
          .onConflictDoUpdate({
            target: inbox.eventId,
            set: { status: 'PENDING', attempts: 0, nextAttemptAt: sql`now()`, lastError: null, appliedAt: null },
          });
      });
      total += rows.length;
    }
  }
  return total;
}
