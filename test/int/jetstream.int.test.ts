// Proves delivery through NATS JetStream: racing relays publish each event once in order, and events survive restarts of the relay and of the consumer.
import { randomBytes } from 'node:crypto';
import { drain, openConsumer, runWorker, type DeliveryOptions } from '@greenpoints/events';
import { connectJetStream, deleteStreams, streamName, type JetStream } from '@greenpoints/events/nats/jetstream';
import { openRelay } from '@greenpoints/events/relay/index';
import { changeUserStatus } from '@greenpoints/users/operations/userLifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, silent, testDelivery, until, type FreshDb } from '../helpers/eventsDb.ts';
import { createOrderLog, expectOnceInOrder, loggingLedgerConsumer } from '../helpers/orderLog.ts';

const NATS_URL = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const USERS = 10;
const CHANGES_PER_USER = 4;

let t: FreshDb;
let nats: JetStream;
let delivery: DeliveryOptions;
let users: string[];

beforeAll(async () => {
  t = await freshDatabase();
  await createOrderLog(t.sql);
  // Streams of their own, so concurrent runs and local stacks on the same NATS never mix.
  delivery = testDelivery({ natsUrl: NATS_URL, natsPrefix: `T${randomBytes(4).toString('hex')}`, batchSize: 7 });
  nats = await connectJetStream(NATS_URL, delivery.natsPrefix, 'test');
  users = (await t.sql`SELECT id FROM users.users WHERE status = 'ACTIVE' ORDER BY id LIMIT ${USERS}`).map((r) => r['id'] as string);
});
afterAll(async () => {
  if (nats) {
    await deleteStreams(nats);
    await nats.close();
  }
  await t?.drop();
});

async function changeEveryone(times: number) {
  await Promise.all(
    users.map(async (id) => {
      for (let i = 0; i < times; i++) await changeUserStatus(t.handle.db, id, i % 2 === 0 ? 'FROZEN' : 'ACTIVE');
    }),
  );
}

describe('delivery through NATS JetStream', () => {
  it('publishes each event once, in order, with relays racing and restarted', async () => {
    await changeEveryone(CHANGES_PER_USER);
    // One relay moves a batch and stops (a restart); then two relays race over the rest while more events arrive.
    const first = await openRelay(t.handle.db, delivery);
    expect(first.mode).toBe('nats');
    expect(await first.step()).toBe(delivery.batchSize);
    await first.close();
    const other = await t.connectAgain();
    const racing = [runWorker(await openRelay(t.handle.db, delivery), 5, silent), runWorker(await openRelay(other.db, delivery), 5, silent)];
    await changeEveryone(CHANGES_PER_USER);
    await until(async () => (await t.sql`SELECT count(*)::int AS n FROM users.outbox WHERE published_at IS NULL`)[0]!['n'] === 0, 20_000, 'the outbox relayed');
    for (const r of racing) await r.stop();

    const total = USERS * CHANGES_PER_USER * 2;
    const info = await nats.jsm.streams.info(streamName(delivery.natsPrefix, 'users'));
    expect(info.state.messages).toBe(total);
    const positions = new Map<string, number>();
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await nats.jsm.streams.getMessage(streamName(delivery.natsPrefix, 'users'), { seq });
      const e = m!.json<{ aggregate: string; position: number }>();
      expect(e.position).toBeGreaterThan(positions.get(e.aggregate) ?? 0);
      positions.set(e.aggregate, e.position);
    }
  });

  it('applies every event once, in order per aggregate, across a consumer restart and two copies', async () => {
    const first = await openConsumer(t.handle.db, loggingLedgerConsumer, delivery, silent);
    expect(await first.step()).toBeGreaterThan(0);
    await first.close(); // a restart: the durable consumer remembers what was acknowledged
    const pools = [await t.connectAgain(), await t.connectAgain()];
    const copies = await Promise.all(pools.map(async (p) => runWorker(await openConsumer(p.db, loggingLedgerConsumer, delivery, silent), 5, silent)));
    const total = USERS * CHANGES_PER_USER * 2;
    await until(async () => (await t.sql`SELECT count(*)::int AS n FROM ledger.test_applied`)[0]!['n'] >= total, 30_000, 'all events applied');
    for (const c of copies) await c.stop();

    await expectOnceInOrder(t.sql, total, USERS);
    // Nothing is left on the durable consumer: every message was acknowledged.
    const again = await openConsumer(t.handle.db, loggingLedgerConsumer, delivery, silent);
    expect(await drain(again)).toBe(0);
    await again.close();
  });
});
