// Proves a poison event is retried with backoff, then dead-lettered after N attempts with its reason, while later events keep flowing.
import { randomUUID } from 'node:crypto';
import { usersOutbox } from '@greenpoints/db/schema/users';
import { defineConsumer, drain, openConsumer, type Handler } from '@greenpoints/events';
import { openRelay } from '@greenpoints/events/relay/index';
import { ledgerConsumer } from '@greenpoints/ledger/consumers/index';
import { changeUserStatus } from '@greenpoints/users/operations/userLifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, silent, testDelivery, until, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.drop());

const MAX_ATTEMPTS = 3;

describe('a poison event', () => {
  it('is dead-lettered after N attempts while other aggregates, then its own, keep flowing', async () => {
    const [poisoned, other] = await t.sql`SELECT id FROM users.users WHERE status = 'ACTIVE' ORDER BY id LIMIT 2`;
    const poisonId = poisoned!['id'] as string;
    const otherId = other!['id'] as string;
    // The ledger's real handlers, except that freezing `poisoned` always fails (a bug in a handler).
    const real = ledgerConsumer.handlers.UserStatusChanged!;
    const failing: Handler<'UserStatusChanged'> = async (tx, e) => {
      if (e.payload.userId === poisonId && e.payload.status === 'FROZEN') throw new Error('handler bug: cannot freeze');
      await real(tx, e);
    };
    const consumer = defineConsumer({ ...ledgerConsumer, handlers: { ...ledgerConsumer.handlers, UserStatusChanged: failing } });

    await changeUserStatus(t.handle.db, poisonId, 'FROZEN'); // the poison
    await changeUserStatus(t.handle.db, poisonId, 'ACTIVE'); // the same aggregate, later
    await changeUserStatus(t.handle.db, otherId, 'FROZEN'); // another aggregate
    const delivery = testDelivery({ maxAttempts: MAX_ATTEMPTS, retryBaseMs: 150, retryMaxMs: 150 });
    const relay = await openRelay(t.handle.db, delivery);
    await drain(relay);
    const worker = await openConsumer(t.handle.db, consumer, delivery, silent);

    await worker.step();
    // The other user's event was applied at once; the poisoned user's later event waits behind the poison.
    const status = async (id: string) => (await t.sql`SELECT status FROM ledger.user_copies WHERE user_id = ${id}`)[0]?.['status'];
    expect(await status(otherId)).toBe('FROZEN');
    const [retrying] = await t.sql`SELECT attempts, last_error, next_attempt_at > now() AS waiting FROM ledger.inbox
      WHERE type = 'UserStatusChanged' AND payload->>'userId' = ${poisonId} AND payload->>'status' = 'FROZEN'`;
    expect(retrying).toMatchObject({ attempts: 1, last_error: 'handler bug: cannot freeze', waiting: true });
    const [held] = await t.sql`SELECT status, attempts FROM ledger.inbox
      WHERE type = 'UserStatusChanged' AND payload->>'userId' = ${poisonId} AND payload->>'status' = 'ACTIVE'`;
    expect(held).toEqual({ status: 'PENDING', attempts: 0 });

    await until(async () => {
      await worker.step();
      return (await t.sql`SELECT 1 FROM ledger.dead_letters`).length > 0;
    }, 10_000, 'the poison to be dead-lettered');
    const [dead] = await t.sql`SELECT type, reason, attempts, stream FROM ledger.dead_letters`;
    expect(dead).toEqual({ type: 'UserStatusChanged', reason: 'handler bug: cannot freeze', attempts: MAX_ATTEMPTS, stream: 'users' });
    await drain(worker);
    // Behind the poison, the same user's next event was delivered.
    expect(await status(poisonId)).toBe('ACTIVE');
    await worker.close();
    await relay.close();
  });

  it('breaking its contract goes to the dead letters at once, with the reason', async () => {
    // Written around publish() (which would refuse it), as a buggy or old publisher might.
    const eventId = randomUUID();
    await t.handle.db.insert(usersOutbox).values({ eventId, type: 'UserStatusChanged', version: 1, aggregate: 'user:x', payload: { userId: 'not-a-uuid', status: 'ASLEEP' } });
    const delivery = testDelivery();
    const relay = await openRelay(t.handle.db, delivery);
    const worker = await openConsumer(t.handle.db, ledgerConsumer, delivery, silent);
    await drain(relay);
    await drain(worker);
    const [dead] = await t.sql`SELECT reason, attempts FROM ledger.dead_letters WHERE event_id = ${eventId}`;
    expect(dead!['attempts']).toBe(1);
    expect(dead!['reason']).toMatch(/UserStatusChanged v1 payload invalid: userId: .*status: /);
    await worker.close();
    await relay.close();
  });
});
