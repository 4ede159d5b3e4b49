// Proves delivery through JetStream survives NATS itself restarting: relay and consumer reconnect and nothing is lost or applied twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConsumer, runWorker } from '@greenpoints/events';
import { openRelay } from '@greenpoints/events/relay/index';
import { changeUserStatus } from '@greenpoints/users/operations/userLifecycle';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { freePort } from '../helpers/childService.ts';
import { freshDatabase, silent, testDelivery, until, type FreshDb } from '../helpers/eventsDb.ts';
import { createOrderLog, expectOnceInOrder, loggingLedgerConsumer } from '../helpers/orderLog.ts';

const NATS_SERVER = '/usr/sbin/nats-server';
const USERS = 5;

let t: FreshDb;
let storeDir: string;
let port: number;
let server: ChildProcess | null = null;

/** A throw-away NATS on its own port and store (never the shared one), so the test may stop it. */
async function startNats(): Promise<void> {
  server = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
}
async function stopNats(): Promise<void> {
  const s = server;
  server = null;
  if (!s || s.exitCode !== null) return;
  const exited = new Promise((r) => s.once('exit', r));
  s.kill('SIGTERM');
  await exited;
}

beforeAll(async () => {
  if (!existsSync(NATS_SERVER)) return;
  t = await freshDatabase();
  await createOrderLog(t.sql);
  storeDir = mkdtempSync(join(tmpdir(), 'gp-nats-'));
  port = await freePort();
  await startNats();
});
afterAll(async () => {
  await stopNats();
  if (storeDir) rmSync(storeDir, { recursive: true, force: true });
  await t?.drop();
});

async function changeEveryone(users: string[], to: 'FROZEN' | 'ACTIVE') {
  for (const id of users) await changeUserStatus(t.handle.db, id, to);
}

describe('a NATS restart', () => {
  it.skipIf(!existsSync(NATS_SERVER))('loses nothing: relay and consumer reconnect by themselves', { timeout: 60_000 }, async () => {
    const delivery = testDelivery({ natsUrl: `nats://127.0.0.1:${port}`, natsPrefix: 'GP', batchSize: 5 });
    const users = (await t.sql`SELECT id FROM users.users WHERE status = 'ACTIVE' ORDER BY id LIMIT ${USERS}`).map((r) => r['id'] as string);
    const relay = runWorker(await openRelay(t.handle.db, delivery), 10, silent);
    const consumer = runWorker(await openConsumer((await t.connectAgain()).db, loggingLedgerConsumer, delivery, silent), 10, silent);
    const applied = async () => (await t.sql`SELECT count(*)::int AS n FROM ledger.test_applied`)[0]!['n'] as number;

    await changeEveryone(users, 'FROZEN');
    await until(async () => (await applied()) === USERS, 15_000, 'delivery before the restart');
    await stopNats();
    await changeEveryone(users, 'ACTIVE'); // published while NATS is down: they wait in the outbox
    await new Promise((r) => setTimeout(r, 1_000));
    await startNats();
    await changeEveryone(users, 'FROZEN');
    await until(async () => (await applied()) === USERS * 3, 30_000, 'delivery after the restart');
    await relay.stop();
    await consumer.stop();
    await expectOnceInOrder(t.sql, USERS * 3, USERS);
  });
});
