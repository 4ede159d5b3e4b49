// Proves stock is reserved, released and confirmed only by the signed service principal, idempotently by redemption id, that many concurrent reservations of the last items never oversell, that unlimited stock never runs out, and that each confirmation counts once toward popularity.
import { randomUUID } from 'node:crypto';
import { DAY_MS, DEMO_CONSUMER_ID, DEMO_MERCHANT_ID, servicePrincipal, signRequest, type Principal } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secrets, startTestStack, type TestStack } from '../helpers/stack.ts';

const RESERVE = `mutation ($r: ID!, $q: Int!, $id: ID!) { reserveStock(rewardId: $r, quantity: $q, redemptionId: $id) { redemptionId quantity status reward { id } } }`;
const RELEASE = `mutation ($id: ID!) { releaseStock(redemptionId: $id) { status quantity } }`;
const CONFIRM = `mutation ($id: ID!) { confirmStock(redemptionId: $id) { status quantity } }`;

type Body = { data?: Record<string, { status: string; quantity: number } | null> | null; errors?: { extensions: { code: string } }[] };
const codesOf = (body: Body) => (body.errors ?? []).map((e) => e.extensions.code);

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
});
afterAll(() => t?.stop());

/** Straight to the merchants subgraph, signed as `principal` (the ledger's service principal by default). */
async function direct(query: string, variables: Record<string, unknown>, principal: Principal = servicePrincipal('ledger')): Promise<{ status: number; body: Body }> {
  const body = JSON.stringify({ query, variables });
  const headers = signRequest({ principal, subgraph: 'merchants', body }, secrets.signingSecret);
  const res = await fetch(t.stack.subgraphUrls['merchants']!, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: (await res.json()) as Body };
}

async function addReward(stock: number | null, extra: { validUntil?: Date } = {}) {
  const id = randomUUID();
  await t.sql`INSERT INTO merchants.rewards (id, merchant_id, title, kind, points_cost, stock, valid_from, valid_until, terms)
    VALUES (${id}, ${DEMO_MERCHANT_ID}, 'Limited', 'GOODS', 100, ${stock}, ${new Date(Date.now() - DAY_MS)}, ${extra.validUntil ?? null}, 'Terms.')`;
  return id;
}
const stockOf = async (id: string) => (await t.sql`SELECT stock FROM merchants.rewards WHERE id = ${id}`)[0]!['stock'] as number | null;
const redemptionsOf = async (id: string) => (await t.sql`SELECT confirmed_redemptions AS n FROM merchants.rewards WHERE id = ${id}`)[0]!['n'] as number;

describe('who may move stock', () => {
  it('refuses every client through the gateway, and any principal but a service one at the subgraph, and moves nothing', async () => {
    const reward = await addReward(5);
    const variables = { r: reward, q: 1, id: randomUUID() };
    for (const token of [undefined, await t.token({ role: 'admin', sub: 'a' }), await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID }), await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID, scope: 'role:service' })]) {
      const res = await t.graphql(RESERVE, variables, token).expect(200);
      expect(res.body.data.reserveStock).toBeNull();
      expect(res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual([token ? 'FORBIDDEN' : 'UNAUTHENTICATED']);
    }
    const admin: Principal = { role: 'admin', sub: 'a', scopes: ['role:service'] };
    expect(codesOf((await direct(RESERVE, variables, admin)).body)).toEqual(['FORBIDDEN']);
    expect(await stockOf(reward)).toBe(5);
  });
});

describe('reserve, release, confirm', () => {
  it('reserves once per redemption id: a retry returns the first reservation and takes nothing more', async () => {
    const reward = await addReward(5);
    const id = randomUUID();
    const first = (await direct(RESERVE, { r: reward, q: 2, id })).body;
    expect(first.data!['reserveStock']).toMatchObject({ redemptionId: id, quantity: 2, status: 'RESERVED', reward: { id: reward } });
    expect((await direct(RESERVE, { r: reward, q: 2, id })).body.data!['reserveStock']).toEqual(first.data!['reserveStock']);
    expect(await stockOf(reward)).toBe(3);
    expect(codesOf((await direct(RESERVE, { r: reward, q: 3, id })).body)).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect(await stockOf(reward)).toBe(3);
  });

  it('releases back into stock once, and confirms once; a released one cannot be confirmed nor a confirmed one released', async () => {
    const reward = await addReward(4);
    const [a, b] = [randomUUID(), randomUUID()];
    await direct(RESERVE, { r: reward, q: 1, id: a });
    await direct(RESERVE, { r: reward, q: 2, id: b });
    expect(await stockOf(reward)).toBe(1);
    expect((await direct(RELEASE, { id: a })).body.data!['releaseStock']).toEqual({ status: 'RELEASED', quantity: 1 });
    expect((await direct(RELEASE, { id: a })).body.data!['releaseStock']).toEqual({ status: 'RELEASED', quantity: 1 });
    expect(await stockOf(reward)).toBe(2);
    expect((await direct(CONFIRM, { id: b })).body.data!['confirmStock']).toEqual({ status: 'CONFIRMED', quantity: 2 });
    expect((await direct(CONFIRM, { id: b })).body.data!['confirmStock']).toEqual({ status: 'CONFIRMED', quantity: 2 });
    expect(codesOf((await direct(CONFIRM, { id: a })).body)).toEqual(['RESERVATION_CLOSED']);
    expect(codesOf((await direct(RELEASE, { id: b })).body)).toEqual(['RESERVATION_CLOSED']);
    expect(codesOf((await direct(RELEASE, { id: randomUUID() })).body)).toEqual(['NOT_FOUND']);
    expect(await stockOf(reward)).toBe(2);
    // The confirmation counted once toward popularity, its repeat not at all, the release never.
    expect(await redemptionsOf(reward)).toBe(1);
  });

  it('refuses too little stock, an unknown or expired reward, and a suspended merchant, each with its code and nothing taken', async () => {
    const reward = await addReward(1);
    expect(codesOf((await direct(RESERVE, { r: reward, q: 2, id: randomUUID() })).body)).toEqual(['OUT_OF_STOCK']);
    expect(codesOf((await direct(RESERVE, { r: reward, q: 0, id: randomUUID() })).body)).toEqual(['BAD_USER_INPUT']);
    expect(codesOf((await direct(RESERVE, { r: randomUUID(), q: 1, id: randomUUID() })).body)).toEqual(['NOT_FOUND']);
    const expired = await addReward(5, { validUntil: new Date(Date.now() - 1000) });
    expect(codesOf((await direct(RESERVE, { r: expired, q: 1, id: randomUUID() })).body)).toEqual(['REWARD_NOT_AVAILABLE']);
    await t.sql`UPDATE merchants.merchants SET status = 'SUSPENDED' WHERE id = ${DEMO_MERCHANT_ID}`;
    expect(codesOf((await direct(RESERVE, { r: reward, q: 1, id: randomUUID() })).body)).toEqual(['MERCHANT_NOT_ACTIVE']);
    await t.sql`UPDATE merchants.merchants SET status = 'ACTIVE' WHERE id = ${DEMO_MERCHANT_ID}`;
    expect(await stockOf(reward)).toBe(1);
    expect(await t.sql`SELECT 1 FROM merchants.stock_reservations WHERE reward_id IN (${reward}, ${expired})`).toHaveLength(0);
  });
});

describe('concurrency', () => {
  it('never oversells: 40 concurrent reservations (with retries) of the last 7 items succeed exactly 7 times', async () => {
    const reward = await addReward(7);
    const ids = Array.from({ length: 40 }, () => randomUUID());
    // Each redemption is sent twice at once (a retry racing its first attempt), as different service callers.
    const calls = ids.flatMap((id, i) => [0, 1].map((n) => direct(RESERVE, { r: reward, q: 1, id }, servicePrincipal(`ledger-${i}-${n}`))));
    const results = await Promise.all(calls);
    const byId = new Map<string, string[]>();
    results.forEach((r, i) => {
      const id = ids[Math.floor(i / 2)]!;
      byId.set(id, [...(byId.get(id) ?? []), r.body.data?.['reserveStock']?.status ?? codesOf(r.body).join(',')]);
    });
    // Both attempts of one redemption agree: both reserved, or both out of stock.
    for (const outcomes of byId.values()) expect(outcomes[0]).toBe(outcomes[1]);
    const reserved = [...byId.values()].filter((o) => o[0] === 'RESERVED').length;
    expect(reserved).toBe(7);
    expect([...byId.values()].filter((o) => o[0] === 'OUT_OF_STOCK').length).toBe(33);
    expect(await stockOf(reward)).toBe(0);
    const [row] = await t.sql`SELECT count(*)::int AS n, coalesce(sum(quantity), 0)::int AS q FROM merchants.stock_reservations WHERE reward_id = ${reward} AND status = 'RESERVED'`;
    expect(row).toEqual({ n: 7, q: 7 });
  });

  it('never runs out of unlimited stock: 40 concurrent reservations (with retries) all succeed, and each confirmation counts once', async () => {
    const reward = await addReward(null);
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const results = await Promise.all(ids.flatMap((id, i) => [0, 1].map((n) => direct(RESERVE, { r: reward, q: 3, id }, servicePrincipal(`ledger-${i}-${n}`)))));
    expect(results.map((r) => r.body.data?.['reserveStock']?.status ?? codesOf(r.body).join(','))).toEqual(Array(80).fill('RESERVED'));
    expect(await stockOf(reward)).toBeNull();
    const [row] = await t.sql`SELECT count(*)::int AS n FROM merchants.stock_reservations WHERE reward_id = ${reward} AND status = 'RESERVED'`;
    expect(row!['n']).toBe(40);
    // One released, the other 39 confirmed twice each at once: 39 redemptions, and the stock still unlimited.
    await direct(RELEASE, { id: ids[0]! });
    await Promise.all(ids.slice(1).flatMap((id) => [direct(CONFIRM, { id }), direct(CONFIRM, { id })]));
    expect(await redemptionsOf(reward)).toBe(39);
    expect(await stockOf(reward)).toBeNull();
    const res = await t.graphql(`{ reward(id: "${reward}") { stock stockLeft unlimitedStock inStock redemptionCount } }`).expect(200);
    expect(res.body.data.reward).toEqual({ stock: 2_147_483_647, stockLeft: null, unlimitedStock: true, inStock: true, redemptionCount: 39 });
  });

  it('releases and re-reserves concurrently without losing or inventing stock', async () => {
    const reward = await addReward(10);
    const first = Array.from({ length: 10 }, () => randomUUID());
    await Promise.all(first.map((id) => direct(RESERVE, { r: reward, q: 1, id })));
    expect(await stockOf(reward)).toBe(0);
    const second = Array.from({ length: 20 }, () => randomUUID());
    const results = await Promise.all([
      ...first.slice(0, 5).flatMap((id) => [direct(RELEASE, { id }), direct(RELEASE, { id })]),
      ...second.map((id) => direct(RESERVE, { r: reward, q: 1, id })),
    ]);
    const reservedAgain = results.slice(10).filter((r) => r.body.data?.['reserveStock']?.status === 'RESERVED').length;
    expect(reservedAgain).toBeLessThanOrEqual(5);
    const [row] = await t.sql`SELECT coalesce(sum(quantity), 0)::int AS held FROM merchants.stock_reservations WHERE reward_id = ${reward} AND status = 'RESERVED'`;
    expect((await stockOf(reward)) + row!['held']).toBe(10);
  });
});
