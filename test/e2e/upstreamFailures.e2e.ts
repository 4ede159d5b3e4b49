// Proves a failing subgraph costs only its own fields, is named by its public name and code alone (no URL, no query, no user id), times out as configured, and that mutations are never retried.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExtraGateway, type ExtraGateway } from '../helpers/gateway.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const HOME = '{ me { id displayName household { name } points { balance } greenImpact { totals { records } } } }';
const RECORD = `mutation ($key: ID!) {
  recordPurchase(input: { userId: "${DEMO_CONSUMER_ID}", merchantId: "${DEMO_MERCHANT_ID}", amountMinor: 1200 }, idempotencyKey: $key) { id points }
}`;

let t: TestStack;
let consumer: string;

/** A stand-in ledger on a free port: `handle` decides what it does with each request. Closing drops every connection. */
async function fakeLedger(handle: (res: import('node:http').ServerResponse) => void) {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    req.resume();
    handle(res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests: () => requests,
    /** Connections the gateway still holds open to it. */
    openSockets: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port that was free a moment ago and has nothing listening on it now. */
async function deadUrl(): Promise<string> {
  const ledger = await fakeLedger(() => {});
  await ledger.close();
  return ledger.url;
}

type Coded = { message: string; path?: (string | number)[]; extensions: { code: string; service?: string } };

/** Everything the client sees of the errors; none of it may reveal how the graph is wired. */
function expectNothingInternal(errors: Coded[], ledgerUrl: string) {
  const text = JSON.stringify(errors);
  const { port } = new URL(ledgerUrl);
  for (const secret of [ledgerUrl, '127.0.0.1', 'ECONNREFUSED', port, '_entities', 'representations', 'query', DEMO_CONSUMER_ID, 'stacktrace']) {
    expect(text).not.toContain(secret);
  }
}

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  consumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
});
afterAll(() => t?.stop());

describe('the ledger is down', () => {
  let gw: ExtraGateway;
  let ledgerUrl: string;
  beforeAll(async () => {
    ledgerUrl = await deadUrl();
    gw = await startExtraGateway({ ...t.stack.subgraphUrls, ledger: ledgerUrl });
  });
  afterAll(() => gw?.close());

  it("still answers the home query with everything the other subgraphs hold; points are null with one SUBGRAPH_UNAVAILABLE naming 'ledger'", async () => {
    const res = await gw.graphql(HOME, {}, consumer).expect(200);
    const me = res.body.data.me;
    expect(me.id).toBe(DEMO_CONSUMER_ID);
    expect(me.displayName).toEqual(expect.any(String));
    expect(me.household).toEqual({ name: expect.any(String) });
    expect(me.greenImpact.totals.records).toEqual(expect.any(Number));
    expect(me.points).toBeNull();
    const errors: Coded[] = res.body.errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]!.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', service: 'ledger' });
    expectNothingInternal(errors, ledgerUrl);
  });

  it('answers a mutation on the ledger with SUBGRAPH_UNAVAILABLE and nothing internal', async () => {
    const merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
    const res = await gw.graphql(RECORD, { key: randomUUID() }, merchant);
    expect(res.body.data?.recordPurchase ?? null).toBeNull();
    const errors: Coded[] = res.body.errors;
    expect(errors.map((e) => e.extensions)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE', service: 'ledger' }]);
    expectNothingInternal(errors, ledgerUrl);
  });
});

/** A stand-in ledger that does `handle`, behind a gateway that gives the ledger 500 ms (the rest a minute). */
function ledgerWithShortTimeout(handle: (res: import('node:http').ServerResponse) => void) {
  const at = {} as { gw: ExtraGateway; ledger: Awaited<ReturnType<typeof fakeLedger>> };
  beforeAll(async () => {
    at.ledger = await fakeLedger(handle);
    at.gw = await startExtraGateway(
      { ...t.stack.subgraphUrls, ledger: at.ledger.url },
      { upstreamTimeoutMs: { users: 60_000, merchants: 60_000, ledger: 500, 'green-impact': 60_000 } },
    );
  });
  afterAll(async () => {
    await at.gw?.close();
    await at.ledger?.close();
  });
  return at;
}

describe('the ledger accepts connections and never answers', () => {
  const at = ledgerWithShortTimeout(() => {});

  it("gives up after the ledger's own timeout: SUBGRAPH_TIMEOUT naming 'ledger', the rest of the answer intact", async () => {
    const res = await at.gw.graphql(HOME, {}, consumer).timeout(15_000).expect(200);
    expect(at.ledger.requests()).toBeGreaterThanOrEqual(1);
    expect(res.body.data.me).toMatchObject({ id: DEMO_CONSUMER_ID, points: null, household: { name: expect.any(String) } });
    const errors: Coded[] = res.body.errors;
    expect(errors.map((e) => e.extensions)).toEqual([{ code: 'SUBGRAPH_TIMEOUT', service: 'ledger' }]);
    expectNothingInternal(errors, at.ledger.url);
  });
});

describe('shutting down while the ledger never answers', () => {
  it('closes the gateway and hangs up on the ledger instead of waiting out its minute', async () => {
    const ledger = await fakeLedger(() => {});
    const gw = await startExtraGateway({ ...t.stack.subgraphUrls, ledger: ledger.url });
    try {
      const pending = gw.graphql(HOME, {}, consumer).then(
        (res) => res.status,
        () => 'cut',
      );
      while (ledger.requests() === 0) await new Promise((r) => setTimeout(r, 20));
      const closing = gw.close();
      const outcome = await Promise.race([closing.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open after 15 s'), 15_000))]);
      expect(outcome).toBe('closed');
      expect(await pending).not.toBe(undefined);
      // The gateway hung up on the ledger: its call did not stay open until the ledger's timeout.
      for (let i = 0; i < 100 && ledger.openSockets() > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(ledger.openSockets()).toBe(0);
    } finally {
      await ledger.close();
    }
  }, 30_000);
});

describe('the ledger sends its headers and half its answer, then stalls', () => {
  const at = ledgerWithShortTimeout((res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"data":{"_entities":[');
  });

  it('times out on the body as on the headers: SUBGRAPH_TIMEOUT naming the ledger', async () => {
    const res = await at.gw.graphql(HOME, {}, consumer).timeout(15_000).expect(200);
    expect(res.body.data.me).toMatchObject({ id: DEMO_CONSUMER_ID, points: null });
    const errors: Coded[] = res.body.errors;
    expect(errors.map((e) => e.extensions)).toEqual([{ code: 'SUBGRAPH_TIMEOUT', service: 'ledger' }]);
    expectNothingInternal(errors, at.ledger.url);
  });
});

describe('subgraph calls leave nothing behind on long-lived signals', () => {
  it('serves 150 home queries one after another with no abort signal holding more than a few listeners', async () => {
    // Counts, per signal, the abort listeners added and not removed. A per-call listener left on a
    // signal that outlives the call (the executor's dispose signal, say) grows with every query.
    const live = new WeakMap<EventTarget, number>();
    let most = 0;
    const { addEventListener: add, removeEventListener: remove } = EventTarget.prototype;
    const counted = (target: EventTarget, type: string) => target instanceof AbortSignal && type === 'abort';
    EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, ...rest: [never, never]) {
      if (counted(this, type)) {
        const n = (live.get(this) ?? 0) + 1;
        live.set(this, n);
        most = Math.max(most, n);
      }
      return add.call(this, type, ...rest);
    };
    EventTarget.prototype.removeEventListener = function (this: EventTarget, type: string, ...rest: [never, never]) {
      if (counted(this, type)) live.set(this, Math.max(0, (live.get(this) ?? 0) - 1));
      return remove.call(this, type, ...rest);
    };
    const gw = await startExtraGateway(t.stack.subgraphUrls);
    try {
      for (let i = 0; i < 150; i++) {
        const res = await gw.graphql(HOME, {}, consumer).expect(200);
        expect(res.body.errors).toBeUndefined();
      }
    } finally {
      EventTarget.prototype.addEventListener = add;
      EventTarget.prototype.removeEventListener = remove;
      await gw.close();
    }
    // Four subgraph calls a query; 150 queries would leave hundreds on a signal that collected them.
    expect(most).toBeLessThanOrEqual(8);
  });
});

describe('mutations are never retried', () => {
  let gw: ExtraGateway;
  let ledger: Awaited<ReturnType<typeof fakeLedger>>;
  beforeAll(async () => {
    ledger = await fakeLedger((res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    gw = await startExtraGateway({ ...t.stack.subgraphUrls, ledger: ledger.url });
  });
  afterAll(async () => {
    await gw?.close();
    await ledger?.close();
  });

  it('sends recordPurchase to a failing ledger exactly once', async () => {
    const merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
    const res = await gw.graphql(RECORD, { key: randomUUID() }, merchant);
    expect(ledger.requests()).toBe(1);
    expect(res.body.data?.recordPurchase ?? null).toBeNull();
    const errors: Coded[] = res.body.errors;
    expect(errors.map((e) => e.extensions)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE', service: 'ledger' }]);
    expectNothingInternal(errors, ledger.url);
  });
});
