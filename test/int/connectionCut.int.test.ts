// Proves the ledger service and the relay, as separate processes, survive their database connections being cut and recover by themselves.
import { DEV_SIGNING_SECRET, signRequest } from '@greenpoints/common';
import { changeUserStatus } from '@greenpoints/users/operations/userLifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild, freePort, type ChildService } from '../helpers/childService.ts';
import { freshDatabase, until, type FreshDb } from '../helpers/eventsDb.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.ts';

const CUTS = 6;

let t: FreshDb;
let proxy: TcpProxy;
let ledger: ChildService;
let relay: ChildService;
let ledgerUrl: string;

beforeAll(async () => {
  t = await freshDatabase();
  proxy = await startTcpProxy(Number(new URL(t.url).port || 5432), new URL(t.url).hostname);
  const viaProxy = new URL(t.url);
  viaProxy.port = String(proxy.port);
  const port = await freePort();
  ledgerUrl = `http://127.0.0.1:${port}/graphql`;
  const env = { DATABASE_URL: viaProxy.toString(), LOG_LEVEL: 'info', EVENTS_POLL_MS: '20', DB_POOL_MAX: '4' };
  ledger = startChild('subgraphs/ledger/src/index.ts', { ...env, PORT: String(port) });
  relay = startChild('events/src/cli/relay.ts', env);
  await Promise.all([ledger.waitFor('ledger subgraph ready'), relay.waitFor('outbox relay running')]);
}, 60_000);

afterAll(async () => {
  await Promise.all([ledger?.stop(), relay?.stop()]);
  await proxy?.close();
  await t?.drop();
});

/** A query the ledger answers from its database, signed as the gateway would sign it. */
async function balanceQuery(userId: string): Promise<Response> {
  const body = JSON.stringify({ query: `{ _entities(representations: [{ __typename: "User", id: "${userId}" }]) { ... on User { points { balance } } } }` });
  const signed = signRequest({ principal: { role: 'admin', sub: 'ops', scopes: [] }, subgraph: 'ledger', body }, DEV_SIGNING_SECRET);
  return fetch(ledgerUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body });
}

const statusOf = async (id: string) => (await t.sql`SELECT status FROM ledger.user_copies WHERE user_id = ${id}`)[0]?.['status'];

describe('a cut database connection', () => {
  it('leaves the ledger and the relay running; they reconnect, answer and deliver again', { timeout: 90_000 }, async () => {
    const [user] = await t.sql`SELECT id FROM users.users WHERE status = 'ACTIVE' ORDER BY id LIMIT 1`;
    const userId = user!['id'] as string;
    expect((await balanceQuery(userId)).status).toBe(200);
    await changeUserStatus(t.handle.db, userId, 'FROZEN');
    await until(async () => (await statusOf(userId)) === 'FROZEN', 15_000, 'the first event delivered');

    // Cut every connection, several times, while the relay and the consumer poll and queries run;
    // each time the database stays unreachable for a moment.
    for (let i = 0; i < CUTS; i++) {
      const inFlight = balanceQuery(userId).catch(() => null);
      proxy.refuse(true);
      proxy.cut();
      await new Promise((r) => setTimeout(r, 300));
      proxy.refuse(false);
      await inFlight;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(ledger.alive()).toBe(true);
    expect(relay.alive()).toBe(true);

    // Back to normal without a restart: an event published now is relayed and applied.
    await changeUserStatus(t.handle.db, userId, 'ACTIVE');
    await until(async () => (await statusOf(userId)) === 'ACTIVE', 40_000, 'delivery after the cuts').catch((err: unknown) => {
      throw new Error(`${String(err)}\nledger:\n${ledger.output().slice(-3_000)}\nrelay:\n${relay.output().slice(-3_000)}`);
    });
    const res = await balanceQuery(userId);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { errors?: unknown; data: { _entities: { points: { balance: number } }[] } };
    expect(body.errors).toBeUndefined();
    expect(typeof body.data._entities[0]!.points.balance).toBe('number');
    expect(ledger.output()).toMatch(/step failed; retrying/);
    expect(ledger.output()).toMatch(/"msg":"recovered"/);
  });

  it('each process stops cleanly on the first SIGTERM', { timeout: 30_000 }, async () => {
    // The services' own shutdown limit is 15 s (in-flight requests get up to 5 s); past 20 s they are killed.
    const [ledgerCode, relayCode] = await Promise.all([ledger.stop(20_000), relay.stop(20_000)]);
    // On failure, the services' last lines say which shutdown step they were on.
    const tails = `ledger:\n${ledger.output().slice(-3000)}\nrelay:\n${relay.output().slice(-1500)}`;
    expect({ ledgerCode, relayCode }, tails).toEqual({ ledgerCode: 0, relayCode: 0 });
  });
});
