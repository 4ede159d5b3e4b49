// Proves partner quotas charge each operation's estimated cost, refuse past the budget with 429 and Retry-After, and are shared by gateway replicas through Redis.
import { randomUUID } from 'node:crypto';
import { createLogger, DEV_SIGNING_SECRET } from '@greenpoints/common';
import { createGateway, defaultSecurity, listenGateway, type ListeningGateway, type SecuritySettings } from '@greenpoints/gateway';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const SYNC = '{ catalog(first: 20) { edges { node { id title currentPointsCost } } pageInfo { hasNextPage endCursor } } }';
const SMALL = '{ merchants(first: 1) { edges { node { id } } } }';

let t: TestStack;
const replicas: ListeningGateway[] = [];

async function post(url: string, query: string, token: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { data?: unknown; errors?: { extensions: { code: string } }[]; extensions?: { quota?: { cost: number; remainingPerMinute: number; remainingPerDay: number } } };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
}

/** Another gateway in front of the same subgraphs, as a second replica behind a load balancer would be. */
async function replica(security: SecuritySettings) {
  const supergraph = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
  const gateway = createGateway({ supergraph, subgraphUrls: t.stack.subgraphUrls, signingSecret: DEV_SIGNING_SECRET, security, logger: createLogger('silent') });
  const listening = await listenGateway(gateway, 0, '127.0.0.1');
  replicas.push(listening);
  return listening.url;
}

beforeAll(async () => {
  t = await startTestStack({ relay: false });
});
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await t?.stop();
});

describe('partner quotas', () => {
  it('charges the estimated cost, shows what is left, and refuses past the budget with 429 and Retry-After', async () => {
    const security = defaultSecurity({ partnerQuotas: { default: { perMinute: 1_000_000, perDay: 1_000_000 }, byPartner: { metered: { perMinute: 500, perDay: 100_000 } } } });
    const url = await replica(security);
    const token = await t.token({ role: 'partner', partnerId: 'metered' });
    const first = await post(url, SYNC, token);
    expect(first.status).toBe(200);
    const cost = first.body.extensions!.quota!.cost;
    expect(cost).toBeGreaterThan(20); // a page of 20 rewards weighs more than one request
    expect(first.body.extensions!.quota!.remainingPerMinute).toBe(500 - cost);
    let remaining = 500 - cost;
    while (remaining >= cost) {
      const r = await post(url, SYNC, token);
      expect(r.status).toBe(200);
      remaining -= cost;
      expect(r.body.extensions!.quota!.remainingPerMinute).toBe(remaining);
    }
    const refused = await post(url, SYNC, token);
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0]!.extensions.code).toBe('QUOTA_EXCEEDED');
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // A cheaper operation still fits in what is left; another partner has its own budget.
    const small = await post(url, SMALL, token);
    if (small.status === 200) expect(small.body.extensions!.quota!.remainingPerMinute).toBe(remaining - small.body.extensions!.quota!.cost);
    else expect(small.status).toBe(429);
    const other = await post(url, SYNC, await t.token({ role: 'partner', partnerId: 'someone-else' }));
    expect(other.status).toBe(200);
  });

  it('shares one budget across two gateway replicas on Redis, under concurrent load', async () => {
    const partnerId = `shared-${randomUUID()}`;
    const security = defaultSecurity({
      redisUrl: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      partnerQuotas: { default: { perMinute: 1_000, perDay: 100_000 }, byPartner: {} },
    });
    const [a, b] = [await replica(security), await replica(security)];
    const token = await t.token({ role: 'partner', partnerId });
    const probe = await post(a, SYNC, token);
    const cost = probe.body.extensions!.quota!.cost;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post(i % 2 ? a : b, SYNC, token)));
    const served = answers.filter((r) => r.status === 200).length;
    expect(answers.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    // Exactly as many as the one shared budget holds, whichever replica served them.
    expect(served + 1).toBe(Math.min(41, Math.floor(1_000 / cost)));
  });
});
