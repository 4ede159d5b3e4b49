import { defineConsumer, type Handler } from '@greenpoints/events';
import { queryRows } from '@greenpoints/db';
import { ledgerConsumer } from '@greenpoints/ledger/consumers/index';
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { expect } from 'vitest';

/** Tables in the consumer's own schema where the test consumer logs what it applied, in commit order. */
export async function createOrderLog(db: postgres.Sql): Promise<void> {
  await db`CREATE TABLE ledger.test_applied (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, aggregate text NOT NULL, position bigint NOT NULL, overtaken boolean NOT NULL)`;
  await db`CREATE TABLE ledger.test_last (aggregate text PRIMARY KEY, position bigint NOT NULL)`;
}

/**
 * The ledger's handler for UserStatusChanged, also logging each application and whether a later
 * event of the same aggregate was applied first. The per-aggregate row lock makes this see commit
 * order: if another copy is applying a later event of the aggregate, this waits for it and sees it.
 */
const record: Handler<'UserStatusChanged'> = async (tx, e) => {
  const [prev] = await queryRows<{ position: string }>(tx, sql`SELECT position FROM ledger.test_last WHERE aggregate = ${e.aggregate} FOR UPDATE`);
  const overtaken = prev !== undefined && Number(prev.position) > e.position;
  await tx.execute(sql`INSERT INTO ledger.test_last (aggregate, position) VALUES (${e.aggregate}, ${e.position})
    ON CONFLICT (aggregate) DO UPDATE SET position = greatest(ledger.test_last.position, EXCLUDED.position)`);
  await tx.execute(sql`INSERT INTO ledger.test_applied (event_id, aggregate, position, overtaken) VALUES (${e.eventId}, ${e.aggregate}, ${e.position}, ${overtaken})`);
  // A little work per event keeps several consumer copies busy at the same time.
  await tx.execute(sql`SELECT pg_sleep(0.002)`);
  await ledgerConsumer.handlers.UserStatusChanged!(tx, e);
};

export const loggingLedgerConsumer = defineConsumer({ ...ledgerConsumer, handlers: { ...ledgerConsumer.handlers, UserStatusChanged: record } });

/** Every logged event applied exactly once, none overtaken by a later one of its aggregate. */
export async function expectOnceInOrder(db: postgres.Sql, total: number, aggregates: number): Promise<void> {
  const applied = await db`SELECT event_id, aggregate, position, overtaken FROM ledger.test_applied ORDER BY seq`;
  expect(applied.length).toBe(total);
  expect(new Set(applied.map((r) => r['event_id'])).size).toBe(total);
  expect(applied.filter((r) => r['overtaken'])).toEqual([]);
  const last = new Map<string, number>();
  for (const r of applied) {
    expect(Number(r['position'])).toBeGreaterThan(last.get(r['aggregate']) ?? 0);
    last.set(r['aggregate'], Number(r['position']));
  }
  expect(last.size).toBe(aggregates);
}
