// Proves each principal gets exactly its request budget per window (429 RATE_LIMITED with Retry-After past it), others are unaffected, and gateways sharing Redis share the budget.
import { randomUUID } from 'node:crypto';
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExtraGateway, type ExtraGateway } from '../helpers/gateway.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const rateLimit = { max: 20, anonymousMax: 10, windowMs: 60_000 };
const ME = JSON.stringify({ query: '{ me { id } }' });

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ relay: false, security: { rateLimit } });
});
afterAll(() => t?.stop());

interface Answer {
  status: number;
  retryAfter: string | null;
  code: string | undefined;
}

/** `count` requests at once to `url` (spread round-robin when several), all with the same token. */
async function burst(urls: string[], count: number, token?: string): Promise<Answer[]> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const res = await fetch(urls[i % urls.length]!, { method: 'POST', headers, body: ME });
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
      return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.errors?.[0]?.extensions?.code };
    }),
  );
}

/** Exactly `served` answered, every other one a 429 RATE_LIMITED saying when to retry (within the window). */
function expectBudget(answers: Answer[], served: number) {
  expect(answers.filter((a) => a.status === 200)).toHaveLength(served);
  const refused = answers.filter((a) => a.status !== 200);
  expect(refused).toHaveLength(answers.length - served);
  for (const a of refused) {
    expect(a.status).toBe(429);
    expect(a.code).toBe('RATE_LIMITED');
    const seconds = Number(a.retryAfter);
    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(rateLimit.windowMs / 1000);
  }
}

describe('rate limits in one gateway (memory)', () => {
  it('serves exactly 20 of a burst of 200 from one consumer, and refuses the rest with 429 and Retry-After', async () => {
    expectBudget(await burst([t.stack.gatewayUrl], 200, await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID })), rateLimit.max);
  });

  it('leaves another user unaffected by that flood', async () => {
    const [other] = await t.sql`SELECT id FROM users.users WHERE id <> ${DEMO_CONSUMER_ID} LIMIT 1`;
    const res = await t.graphql('{ me { id } }', {}, await t.token({ role: 'consumer', sub: String(other!['id']) })).expect(200);
    expect(res.body.data.me.id).toBe(other!['id']);
  });

  it('gives anonymous callers their own, smaller budget per address', async () => {
    expectBudget(await burst([t.stack.gatewayUrl], 30), rateLimit.anonymousMax);
  });
});

describe('the report pictures', () => {
  it('are charged to the same budget as GraphQL requests (by address: they carry no token)', async () => {
    const gw = await startExtraGateway(t.stack.subgraphUrls, { rateLimit: { max: 20, anonymousMax: 5, windowMs: 60_000 } });
    try {
      const picture = (i: number) => fetch(new URL(`/reports/green-impact.svg?user=${DEMO_CONSUMER_ID}&lang=en&exp=1&sig=x${i}`, gw.url));
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await picture(i);
        await res.text();
        statuses.push(res.status);
      }
      // Five reach green-impact (which refuses the forged signature itself), then the budget is spent.
      expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      // And the address's GraphQL requests share that spent budget.
      const [answer] = await burst([gw.url], 1);
      expect(answer).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    } finally {
      await gw.close();
    }
  });
});

describe('rate limits shared through Redis', () => {
  let a: ExtraGateway;
  let b: ExtraGateway;
  beforeAll(async () => {
    [a, b] = await Promise.all([
      startExtraGateway(t.stack.subgraphUrls, { rateLimit, redisUrl: REDIS_URL }),
      startExtraGateway(t.stack.subgraphUrls, { rateLimit, redisUrl: REDIS_URL }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('serves one principal 20 requests in all across two gateways, not 20 from each', async () => {
    // A principal of its own for this run: counters left in Redis by other runs cannot touch it.
    const token = await t.token({ role: 'consumer', sub: randomUUID() });
    expectBudget(await burst([a.url, b.url], 200, token), rateLimit.max);
  });

  it('keeps separate budgets for separate principals across the replicas', async () => {
    const [first, second] = await Promise.all([t.token({ role: 'consumer', sub: randomUUID() }), t.token({ role: 'consumer', sub: randomUUID() })]);
    const [one, two] = await Promise.all([burst([a.url, b.url], 30, first), burst([b.url, a.url], 30, second)]);
    expectBudget(one, rateLimit.max);
    expectBudget(two, rateLimit.max);
  });
});
