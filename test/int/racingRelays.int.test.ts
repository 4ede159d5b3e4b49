// Proves two relays and two consumer copies racing on one database deliver each event once per consumer, in order per aggregate.
import { openConsumer, runWorker } from '@greenpoints/events';
import { openRelay } from '@greenpoints/events/relay/index';
import { changeUserStatus } from '@greenpoints/users/operations/userLifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, silent, testDelivery, until, type FreshDb } from '../helpers/eventsDb.ts';
import { createOrderLog, expectOnceInOrder, loggingLedgerConsumer } from '../helpers/orderLog.ts';

let t: FreshDb;
beforeAll(async () => {
  t = await freshDatabase();
  await createOrderLog(t.sql);
});
afterAll(() => t?.drop());

const USERS = 20;
const CHANGES_PER_USER = 6;

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
      runWorker(await openConsumer(pools[2]!.db, loggingLedgerConsumer, delivery, silent), delivery.pollMs, silent),
      runWorker(await openConsumer(pools[3]!.db, loggingLedgerConsumer, delivery, silent), delivery.pollMs, silent),
    ];
    const total = USERS * CHANGES_PER_USER;
    await until(async () => (await t.sql`SELECT count(*)::int AS n FROM ledger.test_applied`)[0]!['n'] >= total, 30_000, 'all events applied');
    await until(async () => (await t.sql`SELECT count(*)::int AS n FROM ledger.inbox WHERE status <> 'DONE'`)[0]!['n'] === 0, 10_000, 'an empty inbox');
    for (const w of [...relays, ...consumers]) await w.stop();

    await expectOnceInOrder(t.sql, total, USERS);
    const [inbox] = await t.sql`SELECT count(*)::int AS n FROM ledger.inbox WHERE type = 'UserStatusChanged'`;
    expect(inbox!['n']).toBe(total);
    // The read model ends where each user's last change left it (an even number of toggles: ACTIVE).
    const statuses = await t.sql`SELECT status FROM ledger.user_copies WHERE user_id IN ${t.sql(users)}`;
    expect(statuses.every((s) => s['status'] === 'ACTIVE')).toBe(true);
  });
});
