import type { Database, Transaction } from '@greenpoints/db';
import { and, asc, eq, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { validatePayload, type EventType, type StreamName } from '../contracts/index.ts';
import { backoffMs } from './backoff.ts';
import type { ConsumerDefinition, DeliveredEvent, Handler } from './types.ts';

export interface ApplyOptions {
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

type InboxRow = ConsumerDefinition['tables']['inbox']['$inferSelect'];
type Outcome = { kind: 'done' } | { kind: 'retry'; error: string } | { kind: 'dead'; reason: string };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2_000);

/**
 * Claims due events that are the oldest pending one of their aggregate (so an aggregate is applied
 * strictly in order, and one backing off holds back only its own aggregate) and applies each in a
 * savepoint. `FOR UPDATE SKIP LOCKED` lets several copies of the consumer share the work: a head
 * being applied by one copy is skipped by the others, and its successors stay invisible until it
 * commits. Returns how many events were claimed.
 */
export async function applyBatch(db: Database, consumer: ConsumerDefinition, options: ApplyOptions): Promise<number> {
  const { inbox } = consumer.tables;
  const earlier = alias(inbox, 'earlier');
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(inbox)
      .where(
        and(
          eq(inbox.status, 'PENDING'),
          lte(inbox.nextAttemptAt, sql`now()`),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(earlier)
              .where(
                and(
                  eq(earlier.stream, inbox.stream),
                  eq(earlier.aggregate, inbox.aggregate),
                  eq(earlier.status, 'PENDING'),
                  lt(earlier.position, inbox.position),
                ),
              ),
          ),
        ),
      )
      .orderBy(asc(inbox.id))
      .limit(options.batchSize)
      .for('update', { skipLocked: true });
    for (const row of rows) {
      const outcome = await applyOne(tx, consumer, row);
      await settle(tx, consumer, row, outcome, options);
    }
    return rows.length;
  });
}

async function applyOne(tx: Transaction, consumer: ConsumerDefinition, row: InboxRow): Promise<Outcome> {
  // A payload that breaks its contract will never succeed: dead-letter it at once, with the reason.
  const checked = validatePayload(row.type, row.version, row.payload);
  if (!checked.ok) return { kind: 'dead', reason: checked.reason };
  const handler = consumer.handlers[row.type as EventType] as Handler<EventType> | undefined;
  const event: DeliveredEvent = {
    eventId: row.eventId,
    stream: row.stream as StreamName,
    position: row.position,
    type: row.type as EventType,
    version: row.version,
    aggregate: row.aggregate,
    occurredAt: row.occurredAt,
    payload: checked.payload as DeliveredEvent['payload'],
  };
  const { processedEvents } = consumer.tables;
  try {
    await tx.transaction(async (sp) => {
      const fresh = await sp
        .insert(processedEvents)
        .values({ eventId: row.eventId, type: row.type })
        .onConflictDoNothing()
        .returning({ eventId: processedEvents.eventId });
      if (fresh.length > 0 && handler) await handler(sp, event);
    });
    return { kind: 'done' };
  } catch (err) {
    return { kind: 'retry', error: message(err) };
  }
}

async function settle(tx: Transaction, consumer: ConsumerDefinition, row: InboxRow, outcome: Outcome, options: ApplyOptions) {
  const { inbox, deadLetters } = consumer.tables;
  const attempts = row.attempts + 1;
  if (outcome.kind === 'done') {
    await tx.update(inbox).set({ status: 'DONE', attempts, appliedAt: sql`clock_timestamp()`, lastError: null }).where(eq(inbox.id, row.id));
    return;
  }
  const reason = outcome.kind === 'dead' ? outcome.reason : outcome.error;
  if (outcome.kind === 'dead' || attempts >= options.maxAttempts) {
    await tx.update(inbox).set({ status: 'DEAD', attempts, lastError: reason }).where(eq(inbox.id, row.id));
    await tx
      .insert(deadLetters)
      .values({ eventId: row.eventId, stream: row.stream, position: row.position, type: row.type, payload: row.payload, reason, attempts })
      .onConflictDoUpdate({ target: deadLetters.eventId, set: { reason, attempts, deadAt: sql`now()` } });
    return;
  }
  const delayMs = backoffMs(attempts, options.retryBaseMs, options.retryMaxMs);
  await tx
    .update(inbox)
    .set({ attempts, lastError: reason, nextAttemptAt: sql`now() + ${`${delayMs} milliseconds`}::interval` })
    .where(eq(inbox.id, row.id));
}
