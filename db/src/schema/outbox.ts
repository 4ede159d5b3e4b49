import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * Every subgraph owns an outbox (events it publishes, written in the same transaction as the
 * change) and a processed-events table (events it consumed, so consumers are idempotent).
 * The shape is shared; the tables live in each subgraph's own Postgres schema.
 */
export function outboxTables(schema: PgSchema<string>) {
  const name = schema.schemaName;
  const outbox = schema.table(
    'outbox',
    {
      position: bigserial('position', { mode: 'number' }).primaryKey(),
      eventId: uuid('event_id').notNull().unique(`${name}_outbox_event_id_key`),
      type: text('type').notNull(),
      payload: jsonb('payload').notNull(),
      occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
      publishedAt: timestamp('published_at', { withTimezone: true }),
    },
    (t) => [index(`${name}_outbox_unpublished_idx`).on(t.position).where(sql`published_at IS NULL`)],
  );
  const processedEvents = schema.table('processed_events', {
    eventId: uuid('event_id').primaryKey(),
    type: text('type').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  });
  return { outbox, processedEvents };
}
