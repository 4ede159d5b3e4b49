import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, text, timestamp, unique, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * Every subgraph owns the same event tables in its own Postgres schema:
 * - `outbox`: events it publishes, written in the same transaction as the change;
 * - `inbox`: events delivered to it as a consumer, applied in order per aggregate with retries;
 * - `processed_events`: event ids it applied, so a redelivered event is never applied twice;
 * - `dead_letters`: events it gave up on, with the reason, so one bad event never stops the rest.
 */
export function outboxTables(schema: PgSchema<string>) {
  const name = schema.schemaName;
  const outbox = schema.table(
    'outbox',
    {
      position: bigserial('position', { mode: 'number' }).primaryKey(),
      eventId: uuid('event_id').notNull().unique(`${name}_outbox_event_id_key`),
      type: text('type').notNull(),
      /** The contract version the payload was validated against. */
      version: integer('version').notNull().default(1),
      /** e.g. `user:<id>`: events of one aggregate are delivered in position order. */
      aggregate: text('aggregate').notNull().default(''),
      payload: jsonb('payload').notNull(),
      occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
      /** Set once the relay handed the event on (to the consumers' inboxes, or to JetStream). */
      publishedAt: timestamp('published_at', { withTimezone: true }),
    },
    (t) => [
      index(`${name}_outbox_unpublished_idx`).on(t.position).where(sql`published_at IS NULL`),
      index(`${name}_outbox_published_at_idx`).on(t.publishedAt),
      // The few rows still holding a person's age band, by aggregate: what deleting an account
      // rewrites (erasePersonalFields, events/src/erasure.ts), without reading the whole table.
      index(`${name}_outbox_personal_idx`).on(t.aggregate).where(sql`payload ? 'ageBand'`),
    ],
  );
  const inbox = schema.table(
    'inbox',
    {
      id: bigserial('id', { mode: 'number' }).primaryKey(),
      /** The publishing subgraph and the event's position in its outbox: the order of delivery. */
      stream: text('stream').notNull(),
      position: bigint('position', { mode: 'number' }).notNull(),
      eventId: uuid('event_id').notNull(),
      type: text('type').notNull(),
      version: integer('version').notNull(),
      aggregate: text('aggregate').notNull(),
      payload: jsonb('payload').notNull(),
      occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
      /** PENDING (waiting or backing off), DONE, or DEAD (moved to dead_letters). */
      status: text('status').notNull().default('PENDING'),
      attempts: integer('attempts').notNull().default(0),
      nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
      lastError: text('last_error'),
      receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
      appliedAt: timestamp('applied_at', { withTimezone: true }),
    },
    (t) => [
      unique(`${name}_inbox_event_id_key`).on(t.eventId),
      unique(`${name}_inbox_stream_position_key`).on(t.stream, t.position),
      index(`${name}_inbox_pending_idx`).on(t.stream, t.aggregate, t.position).where(sql`status = 'PENDING'`),
      // The claim takes the oldest pending rows by id: without this, PostgreSQL walks every applied
      // row (the primary key) before it reaches the first pending one.
      index(`${name}_inbox_pending_id_idx`).on(t.id).where(sql`status = 'PENDING'`),
      index(`${name}_inbox_applied_at_idx`).on(t.appliedAt),
      index(`${name}_inbox_personal_idx`).on(t.aggregate).where(sql`payload ? 'ageBand'`),
    ],
  );
  const processedEvents = schema.table('processed_events', {
    eventId: uuid('event_id').primaryKey(),
    type: text('type').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  });
  const deadLetters = schema.table(
    'dead_letters',
    {
      eventId: uuid('event_id').primaryKey(),
      stream: text('stream').notNull(),
      position: bigint('position', { mode: 'number' }).notNull(),
      type: text('type').notNull(),
      payload: jsonb('payload').notNull(),
      reason: text('reason').notNull(),
      attempts: integer('attempts').notNull(),
      deadAt: timestamp('dead_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [index(`${name}_dead_letters_dead_at_idx`).on(t.deadAt)],
  );
  return { outbox, inbox, processedEvents, deadLetters };
}

export type EventTables = ReturnType<typeof outboxTables>;
