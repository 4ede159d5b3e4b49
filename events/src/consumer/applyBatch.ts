import { inState, type Database, type Transaction } from '@greenpoints/db';
import { and, asc, eq, inArray, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { validatePayload, type EventType, type StreamName } from '../contracts/index.ts';
import { applyCarefully } from './applyCarefully.ts';
import type { ConsumerDefinition, DeliveredEvent, Handler } from './types.ts';

export interface ApplyOptions {
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export type InboxRow = ConsumerDefinition['tables']['inbox']['$inferSelect'];

/**
 * Claims due events that are the oldest pending one of their aggregate (so an aggregate is applied
 * strictly in order, and one backing off holds back only its own aggregate). `FOR UPDATE SKIP
 * LOCKED` lets several copies of the consumer share the work: a head being applied by one copy is
 * skipped by the others, and its successors stay invisible until it commits.
 */
export async function claimHeads(tx: Transaction, consumer: ConsumerDefinition, limit: number): Promise<InboxRow[]> {
  const { inbox } = consumer.tables;
  const earlier = alias(inbox, 'earlier');
  return tx
    .select()
    .from(inbox)
    .where(
      and(
        inState(inbox.status, 'PENDING'),
        lte(inbox.nextAttemptAt, sql`now()`),
        notExists(
          tx
            .select({ one: sql`1` })
            .from(earlier)
            .where(
              and(
                eq(earlier.stream, inbox.stream),
                eq(earlier.aggregate, inbox.aggregate),
                inState(earlier.status, 'PENDING'),
                lt(earlier.position, inbox.position),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(inbox.id))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Thrown inside the fast path to fall back to applying event by event. */
class NeedsCareful extends Error {}

/**
 * Applies a batch in one transaction with one round trip per event: processed marks and DONE
 * statuses are written for the whole batch at once. Any failure (a handler error, a payload that
 * breaks its contract) rolls the batch back and `applyCarefully` takes it event by event.
 */
async function applyFast(db: Database, consumer: ConsumerDefinition, options: ApplyOptions): Promise<number> {
  const { inbox, processedEvents } = consumer.tables;
  return db.transaction(async (tx) => {
    const rows = await claimHeads(tx, consumer, options.batchSize);
    if (rows.length === 0) return 0;
    const fresh = new Set(
      (
        await tx
          .insert(processedEvents)
          .values(rows.map((r) => ({ eventId: r.eventId, type: r.type })))
          .onConflictDoNothing()
          .returning({ eventId: processedEvents.eventId })
      ).map((r) => r.eventId),
    );
    for (const row of rows) {
      const event = toEvent(row);
      if (!event) throw new NeedsCareful();
      const handler = consumer.handlers[row.type as EventType] as Handler<EventType> | undefined;
      if (fresh.has(row.eventId) && handler) await handler(tx, event);
    }
    await tx
      .update(inbox)
      .set({ status: 'DONE', attempts: sql`${inbox.attempts} + 1`, appliedAt: sql`clock_timestamp()`, lastError: null })
      .where(inArray(inbox.id, rows.map((r) => r.id)));
    return rows.length;
  });
}

/**
 * Applies due heads of aggregates, at most `batchSize`; returns how many were claimed. The fast
 * path does a whole batch in one go; when anything in it fails, the batch is redone event by event
 * in savepoints, so the failing event is retried (or dead-lettered) and the others are applied.
 */
export async function applyBatch(db: Database, consumer: ConsumerDefinition, options: ApplyOptions): Promise<number> {
  try {
    return await applyFast(db, consumer, options);
  } catch {
    return applyCarefully(db, consumer, options);
  }
}

/** The row as a handler sees it, or null when its payload breaks its contract. */
export function toEvent(row: InboxRow): DeliveredEvent | null {
  const checked = validatePayload(row.type, row.version, row.payload);
  if (!checked.ok) return null;
  return {
    eventId: row.eventId,
    stream: row.stream as StreamName,
    position: row.position,
    type: row.type as EventType,
    version: row.version,
    aggregate: row.aggregate,
    occurredAt: row.occurredAt,
    payload: checked.payload as DeliveredEvent['payload'],
  };
}
