// Proves two relays and two consumer copies racing on one database deliver each event once per consumer, in order per aggregate.
import { defineConsumer, runWorker, openConsumer, type Handler } from '@greenpoints/events';
import { openRelay } from '@greenpoints/events/relay/index';
import { queryRows } from '@greenpoints/events/sqlRows';
import { ledgerConsumer } from '@greenpoints/ledger/consumers/index';
import { changeUserStatus } from '@greenpoints/users/operations/userLifecycle';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, silent, testDelivery, until, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
beforeAll(async () => {
  t = await freshDatabase();
  // A log of applications in the order they committed, kept in the consumer's own schema.
  await t.sql`CREATE TABLE ledger.test_applied (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, aggregate text NOT NULL, position bigint NOT NULL, overtaken boolean NOT NULL)`;
  await t.sql`CREATE TABLE ledger.test_last (aggregate text PRIMARY KEY, position bigint NOT NULL)`;
});
afterAll(() => t?.drop());

const USERS = 20;
const CHANGES_PER_USER = 6;

/**
 * The ledger's consumer, also logging every UserStatusChanged it applies and whether a later event
 * of the same aggregate was applied first. The per-aggregate row lock makes this see commit order:
 * if another copy is applying a later event of the aggregate, this waits for it and then sees it.
 */
const record: Handler<'UserStatusChanged'> = async (tx, e) => {
  const [prev] = await queryRows<{ position: string }>(tx, sql`SELECT position FROM ledger.test_last WHERE aggregate = ${e.aggregate} FOR UPDATE`);
  const overtaken = prev !== undefined && Number(prev.position) > e.position;
  await tx.execute(sql`INSERT INTO ledger.test_last (aggregate, position) VALUES (${e.aggregate}, ${e.position})
    ON CONFLICT (aggregate) DO UPDATE SET position = greatest(ledger.test_last.position, EXCLUDED.position)`);
  await tx.execute(sql`INSERT INTO ledger.test_applied (event_id, aggregate, position, overtaken) VALUES (${e.eventId}, ${e.aggregate}, ${e.position}, ${overtaken})`);
  // A little work per event keeps both consumer copies busy at the same time.
  await tx.execute(sql`SELECT pg_sleep(0.002)`);
  await ledgerConsumer.handlers.UserStatusChanged!(tx, e);
};
const logging = defineConsumer({ ...ledgerConsumer, handlers: { ...ledgerConsumer.handlers, UserStatusChanged: record } });

describe('racing relays and consumers (Postgres)', () => {
  it('deliver every event exactly once, in order per aggregate', async () => {
    // Batches larger than the number of users, so each copy's batch holds several events of one user.
    const delivery = testDelivery({ batchSize: 25, pollMs: 5 });
    const pools = [t.handle, await t.connectAgain(), await t.connectAgain(), await t.connectAgain()];
    const relays = [
      runWorker(await openRelay(pools[0]!.db, delivery), delivery.pollMs, silent),
      runWorker(await openRelay(pools[1]!.db, delivery), delivery.pollMs, silent),
    ];
    const users = (await t.sql`SELECT id FROM users.users WHERE status = 'ACTIVE' ORDER BY id LIMIT ${USERS}`).map((r) => r['id'] as string);
    // Users change in parallel while both relays run; each user's changes are sequential.
    await Promise.all(
      users.map(async (id) => {
        for (let i = 0; i < CHANGES_PER_USER; i++) await changeUserStatus(t.handle.db, id, i % 2 === 0 ? 'FROZEN' : 'ACTIVE');
      }),
    );
    // The consumers start on a full inbox, so both copies see several events of every aggregate at once.
    const consumers = [
      runWorker(await openConsumer(pools[2]!.db, logging, delivery, silent), delivery.pollMs, silent),
      runWorker(await openConsumer(pools[3]!.db, logging, delivery, silent), delivery.pollMs, silent),
    ];
    const workers = [...relays, ...consumers];
    const total = USERS * CHANGES_PER_USER;
    await until(async () => (await t.sql`SELECT count(*)::int AS n FROM ledger.test_applied`)[0]!['n'] >= total, 30_000, 'all events applied');
    await until(async () => (await t.sql`SELECT count(*)::int AS n FROM ledger.inbox WHERE status <> 'DONE'`)[0]!['n'] === 0, 10_000, 'an empty inbox');
    for (const w of workers) await w.stop();

    const applied = await t.sql`SELECT event_id, aggregate, position, overtaken FROM ledger.test_applied ORDER BY seq`;
    expect(applied.length).toBe(total);
    expect(applied.filter((r) => r['overtaken'])).toEqual([]);
    expect(new Set(applied.map((r) => r['event_id'])).size).toBe(total);
    const [inbox] = await t.sql`SELECT count(*)::int AS n FROM ledger.inbox WHERE type = 'UserStatusChanged'`;
    expect(inbox!['n']).toBe(total);
    const lastPosition = new Map<string, number>();
    for (const r of applied) {
      const previous = lastPosition.get(r['aggregate']) ?? 0;
      expect(Number(r['position'])).toBeGreaterThan(previous);
      lastPosition.set(r['aggregate'], Number(r['position']));
    }
    expect(lastPosition.size).toBe(USERS);
    // The read model ends where each user's last change left it (an even number of toggles: ACTIVE).
    const statuses = await t.sql`SELECT status FROM ledger.user_copies WHERE user_id IN ${t.sql(users)}`;
    expect(statuses.every((s) => s['status'] === 'ACTIVE')).toBe(true);
  });
});
