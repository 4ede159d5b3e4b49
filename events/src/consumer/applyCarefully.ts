import type { Database, Transaction } from '@greenpoints/db';
import { eq, sql } from 'drizzle-orm';
import { validatePayload, type EventType } from '../contracts/index.ts';
import { claimHeads, toEvent, type ApplyOptions, type InboxRow } from './applyBatch.ts';
import { backoffMs } from './backoff.ts';
import type { ConsumerDefinition, Handler } from './types.ts';

type Outcome = { kind: 'done' } | { kind: 'retry'; error: string } | { kind: 'dead'; reason: string };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2_000);

/**
 * The slow path: each claimed event in its own savepoint, so a failing one is rolled back alone,
 * counted, and retried with backoff or dead-lettered, while the others in the batch are applied.
 */
export async function applyCarefully(db: Database, consumer: ConsumerDefinition, options: ApplyOptions): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await claimHeads(tx, consumer, options.batchSize);
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
  const event = toEvent(row)!;
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
