import { randomUUID } from 'node:crypto';
import { prepared, type Executor } from '@greenpoints/db';
import type { EventTables } from '@greenpoints/db/schema/outbox';
import { sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { contractOf, SCHEMA_OF_STREAM, type EventType, type PayloadOf } from './contracts/index.ts';

export type OutboxTable = EventTables['outbox'];

/** An event as its outbox row, validated against its contract (a mismatch is a publisher bug: it throws). */
export function outboxRow<T extends EventType>(outbox: OutboxTable, type: T, payload: PayloadOf<T>, occurredAt: Date = new Date()): OutboxTable['$inferInsert'] {
  const contract = contractOf(type);
  const schema = getTableConfig(outbox).schema;
  if (schema !== SCHEMA_OF_STREAM[contract.stream]) {
    throw new Error(`${type} belongs to the ${contract.stream} stream; it cannot be published to ${schema}.outbox`);
  }
  const parsed: unknown = contract.schema.parse(payload);
  return { eventId: randomUUID(), type, version: contract.version, aggregate: contract.aggregate(parsed), payload: parsed, occurredAt };
}

/**
 * Writes one event to the publisher's own outbox, inside the caller's transaction, so the event
 * exists if and only if the change does. The payload is validated against its contract first: a
 * payload that does not match is a publisher bug, and throwing rolls the change back with it.
 */
export async function publish<T extends EventType>(
  tx: Executor,
  outbox: OutboxTable,
  type: T,
  payload: PayloadOf<T>,
  occurredAt: Date = new Date(),
): Promise<string> {
  const row = outboxRow(outbox, type, payload, occurredAt);
  await insertInto(outbox)(tx, row);
  return row.eventId;
}

type OutboxRow = ReturnType<typeof outboxRow>;
const inserts = new Map<OutboxTable, (tx: Executor, row: OutboxRow) => Promise<unknown>>();

/** The outbox's insert, built once per outbox (`prepared`): every write that publishes runs it. */
function insertInto(outbox: OutboxTable): (tx: Executor, row: OutboxRow) => Promise<unknown> {
  let insert = inserts.get(outbox);
  if (!insert) {
    insert = prepared(`outbox_insert_${getTableConfig(outbox).schema ?? 'public'}`, (db) =>
      db.insert(outbox).values({
        eventId: sql.placeholder('eventId'),
        type: sql.placeholder('type'),
        version: sql.placeholder('version'),
        aggregate: sql.placeholder('aggregate'),
        payload: sql.placeholder('payload'),
        occurredAt: sql.placeholder('occurredAt'),
      }),
    );
    inserts.set(outbox, insert);
  }
  return insert;
}
