// Proves the catalogue orders by the cost in force now (sale windows included), by newest and by popularity, filters by every filter (affordable for me through the ledger included), counts unlimited stock as in stock, leaves suspended merchants out, and pages with cursors that stay stable while rewards are added.
import { randomUUID } from 'node:crypto';
import { DAY_MS, DEMO_CONSUMER_ID, DEMO_MERCHANT_ID, encodeCursor } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const CATALOG = `query ($filter: CatalogFilter, $orderBy: CatalogOrder, $first: Int, $after: String) {
  catalog(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    edges { cursor node { id title kind pointsCost currentPointsCost stockLeft unlimitedStock inStock redemptionCount merchant { id category } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Node {
  id: string; title: string; kind: string; pointsCost: number; currentPointsCost: number; stockLeft: number | null; unlimitedStock: boolean; inStock: boolean;
  redemptionCount: number; merchant: { id: string; category: string };
}
interface Page { edges: { cursor: string; node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }

let t: TestStack;
let merchantId: string;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  merchantId = randomUUID();
  await t.sql`INSERT INTO merchants.merchants (id, name, category, settlement_minor_per_100_points) VALUES (${merchantId}, '目录测试 Catalog Test', 'CINEMA', 50)`;
});
afterAll(() => t?.stop());

async function addReward(r: {
  title: string; pointsCost: number; kind?: string; stock?: number | null; sale?: { cost: number; startsAt: Date; endsAt: Date }; merchant?: string; validUntil?: Date; redemptions?: number;
}) {
  const id = randomUUID();
  await t.sql`INSERT INTO merchants.rewards (id, merchant_id, title, kind, points_cost, sale_points_cost, sale_starts_at, sale_ends_at, stock, valid_from, valid_until, terms, confirmed_redemptions)
    VALUES (${id}, ${r.merchant ?? merchantId}, ${r.title}, ${r.kind ?? 'GOODS'}, ${r.pointsCost}, ${r.sale?.cost ?? null}, ${r.sale?.startsAt ?? null}, ${r.sale?.endsAt ?? null},
      ${r.stock === undefined ? 10 : r.stock}, ${new Date(Date.now() - DAY_MS)}, ${r.validUntil ?? null}, 'Terms.', ${r.redemptions ?? 0})`;
  return id;
}

async function page(variables: Record<string, unknown>, token?: string): Promise<Page> {
  const res = await t.graphql(CATALOG, variables, token).expect(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.catalog as Page;
}

async function all(variables: Record<string, unknown>, first = 7, token?: string): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i += 1) {
    const p = await page({ ...variables, first, after }, token);
    nodes.push(...p.edges.map((e) => e.node));
    if (!p.pageInfo.hasNextPage) return nodes;
    after = p.pageInfo.endCursor;
  }
  throw new Error('more than 100 pages');
}

const codes = async (variables: Record<string, unknown>, token?: string) =>
  ((await t.graphql(CATALOG, variables, token).expect(200)).body.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code);

describe('catalogue order', () => {
  it('sorts cheapest first by the cost in force now: a sale inside its window counts, one outside does not', async () => {
    const now = Date.now();
    const onSale = await addReward({ title: 'On sale', pointsCost: 9_000, sale: { cost: 150, startsAt: new Date(now - DAY_MS), endsAt: new Date(now + DAY_MS) } });
    const saleOver = await addReward({ title: 'Sale over', pointsCost: 9_001, sale: { cost: 151, startsAt: new Date(now - 2 * DAY_MS), endsAt: new Date(now - DAY_MS) } });
    const saleLater = await addReward({ title: 'Sale later', pointsCost: 9_002, sale: { cost: 152, startsAt: new Date(now + DAY_MS), endsAt: new Date(now + 2 * DAY_MS) } });
    const nodes = await all({});
    const costs = nodes.map((n) => n.currentPointsCost);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    const at = (id: string) => nodes.find((n) => n.id === id)!;
    expect(at(onSale).currentPointsCost).toBe(150);
    expect(at(saleOver).currentPointsCost).toBe(9_001);
    expect(at(saleLater).currentPointsCost).toBe(9_002);
    expect(nodes.findIndex((n) => n.id === onSale)).toBeLessThan(nodes.findIndex((n) => n.currentPointsCost > 150));
  });

  it('sorts dearest first with CURRENT_COST_DESC, and newest first with NEWEST', async () => {
    const desc = await all({ orderBy: 'CURRENT_COST_DESC' });
    const costs = desc.map((n) => n.currentPointsCost);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    const newest = await addReward({ title: 'Brand new', pointsCost: 700 });
    const byNewest = await all({ orderBy: 'NEWEST' }, 3);
    expect(byNewest[0]!.id).toBe(newest);
    expect(new Set(byNewest.map((n) => n.id)).size).toBe(byNewest.length);
    expect(byNewest.length).toBe(desc.length + 1);
  });

  it('sorts most redeemed first with POPULARITY (confirmed redemptions), ties by id', async () => {
    const hit = await addReward({ title: 'Popular', pointsCost: 640, redemptions: 50 });
    const tieA = await addReward({ title: 'Tie A', pointsCost: 641, redemptions: 7 });
    const tieB = await addReward({ title: 'Tie B', pointsCost: 642, redemptions: 7 });
    const nodes = await all({ orderBy: 'POPULARITY' }, 5);
    const counts = nodes.map((n) => n.redemptionCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    for (let i = 1; i < nodes.length; i += 1) {
      if (nodes[i]!.redemptionCount === nodes[i - 1]!.redemptionCount) expect(nodes[i]!.id < nodes[i - 1]!.id).toBe(true);
    }
    expect(nodes.find((n) => n.id === hit)!.redemptionCount).toBe(50);
    const ties = nodes.filter((n) => n.id === tieA || n.id === tieB).map((n) => n.id);
    expect(ties).toEqual([tieA, tieB].sort().reverse());
  });
});

describe('catalogue filters', () => {
  it('filters by merchant, merchant category, kind and maximum current cost', async () => {
    const ticket = await addReward({ title: 'Film ticket', kind: 'TICKET', pointsCost: 800, sale: { cost: 200, startsAt: new Date(Date.now() - DAY_MS), endsAt: new Date(Date.now() + DAY_MS) } });
    const mine = await all({ filter: { merchantId } });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((n) => n.merchant.id === merchantId)).toBe(true);
    const cinema = await all({ filter: { merchantCategory: 'CINEMA' } });
    expect(cinema.every((n) => n.merchant.category === 'CINEMA')).toBe(true);
    expect(cinema.map((n) => n.id)).toContain(ticket);
    const tickets = await all({ filter: { kind: 'TICKET' } });
    expect(tickets.every((n) => n.kind === 'TICKET')).toBe(true);
    const cheap = await all({ filter: { maxPointsCost: 200 } });
    expect(cheap.every((n) => n.currentPointsCost <= 200)).toBe(true);
    expect(cheap.map((n) => n.id)).toContain(ticket);
  });

  it('counts unlimited stock as in stock: it is listed by default and never reads as sold out', async () => {
    const unlimited = await addReward({ title: 'E-voucher, unlimited', pointsCost: 332, stock: null });
    const node = (await all({ filter: { merchantId } })).find((n) => n.id === unlimited);
    expect(node).toMatchObject({ stockLeft: null, unlimitedStock: true, inStock: true });
  });

  it('leaves out rewards out of stock unless asked, and rewards past their validity always', async () => {
    const empty = await addReward({ title: 'Sold out', pointsCost: 333, stock: 0 });
    const expired = await addReward({ title: 'Expired', pointsCost: 334, validUntil: new Date(Date.now() - 1000) });
    expect((await all({ filter: { merchantId } })).map((n) => n.id)).not.toContain(empty);
    const withEmpty = (await all({ filter: { merchantId, inStockOnly: false } })).map((n) => n.id);
    expect(withEmpty).toContain(empty);
    expect(withEmpty).not.toContain(expired);
  });

  it('searches Chinese and English titles, case-insensitively, with % and _ matching themselves', async () => {
    const melon = await addReward({ title: '夏季西瓜礼盒 Summer Watermelon Box', pointsCost: 450 });
    const percent = await addReward({ title: '100% 果汁 juice', pointsCost: 451 });
    const ids = async (search: string) => (await all({ filter: { search, merchantId } })).map((n) => n.id);
    expect(await ids('西瓜')).toEqual([melon]);
    expect(await ids('watermelon')).toEqual([melon]);
    expect(await ids('SUMMER WATER')).toEqual([melon]);
    expect(await ids('100%')).toEqual([percent]);
    expect(await ids('%')).toEqual([percent]);
    expect(await ids('_')).toEqual([]);
    expect(await ids('果')).toEqual([percent]);
  });

  it("leaves a suspended merchant's rewards out, and brings them back when it is reinstated", async () => {
    const other = randomUUID();
    await t.sql`INSERT INTO merchants.merchants (id, name, category, settlement_minor_per_100_points) VALUES (${other}, 'Suspendable', 'CINEMA', 50)`;
    const reward = await addReward({ title: 'Suspendable reward', pointsCost: 555, merchant: other });
    expect((await all({})).map((n) => n.id)).toContain(reward);
    await t.sql`UPDATE merchants.merchants SET status = 'SUSPENDED' WHERE id = ${other}`;
    expect((await all({})).map((n) => n.id)).not.toContain(reward);
    expect((await all({ filter: { merchantId: other } })).map((n) => n.id)).toEqual([]);
    await t.sql`UPDATE merchants.merchants SET status = 'ACTIVE' WHERE id = ${other}`;
    expect((await all({})).map((n) => n.id)).toContain(reward);
  });
});

describe('catalogue cursors', () => {
  for (const orderBy of ['CURRENT_COST_ASC', 'CURRENT_COST_DESC', 'NEWEST', 'POPULARITY'] as const) {
    it(`${orderBy}: paging while rewards are added shows every earlier reward exactly once, in order`, async () => {
      const before = (await all({ orderBy })).map((n) => n.id);
      const seen: Node[] = [];
      let after: string | null = null;
      for (let i = 0; i < 100; i += 1) {
        const p = await page({ orderBy, first: 4, after });
        seen.push(...p.edges.map((e) => e.node));
        // Rewards added between pages, at both ends and in the middle of the order.
        // For POPULARITY too: none redeemed, some, and more than any other.
        await addReward({ title: `Added ${orderBy} ${i}a`, pointsCost: 1 + i });
        await addReward({ title: `Added ${orderBy} ${i}b`, pointsCost: 900 + i, redemptions: 7 });
        await addReward({ title: `Added ${orderBy} ${i}c`, pointsCost: 99_000 + i, redemptions: 10_000 + i });
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      const ids = seen.map((n) => n.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => before.includes(id))).toEqual(before);
    });
  }

  it('refuses a forged cursor, or a cursor of another order, with BAD_USER_INPUT', async () => {
    const first = await page({ first: 1 });
    const newest = await page({ first: 1, orderBy: 'NEWEST' });
    expect(await codes({ orderBy: 'NEWEST', after: first.pageInfo.endCursor })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ orderBy: 'CURRENT_COST_ASC', after: newest.pageInfo.endCursor })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ orderBy: 'NEWEST', after: encodeCursor({ at: 'yesterday', id: randomUUID() }) })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ orderBy: 'NEWEST', after: encodeCursor({ at: '2026-13-45T99:00:00.000000Z', id: randomUUID() }) })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ after: encodeCursor({ cost: 1.5, id: randomUUID() }) })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ after: 'bm90IGpzb24' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ orderBy: 'NEWEST', after: newest.pageInfo.endCursor })).toEqual([]);
    const popular = await page({ first: 1, orderBy: 'POPULARITY' });
    expect(await codes({ orderBy: 'POPULARITY', after: first.pageInfo.endCursor })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ orderBy: 'NEWEST', after: popular.pageInfo.endCursor })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ orderBy: 'POPULARITY', after: encodeCursor({ redemptions: 1.5, id: randomUUID() }) })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ orderBy: 'POPULARITY', after: popular.pageInfo.endCursor })).toEqual([]);
  });

  it('keeps the demo merchant in the catalogue (the seed is active)', async () => {
    expect((await all({ filter: { merchantId: DEMO_MERCHANT_ID } })).length).toBeGreaterThan(0);
  });
});

describe('affordable for me', () => {
  it("lists exactly the rewards whose current cost the signed-in consumer's spendable balance covers", async () => {
    const consumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    const me = await t.graphql('{ me { points { balance } } }', {}, consumer).expect(200);
    const balance = me.body.data.me.points.balance as number;
    expect(balance).toBeGreaterThan(1);
    const now = Date.now();
    const exactly = await addReward({ title: 'Exactly affordable', pointsCost: balance });
    const onePointShort = await addReward({ title: 'One point short', pointsCost: balance + 1 });
    const onSale = await addReward({ title: 'Affordable on sale', pointsCost: balance + 500, sale: { cost: balance - 1, startsAt: new Date(now - DAY_MS), endsAt: new Date(now + DAY_MS) } });
    const affordable = (await all({ filter: { affordableForMe: true } }, 20, consumer)).map((n) => n.id);
    const everything = await all({}, 50);
    expect(affordable).toEqual(everything.filter((n) => n.currentPointsCost <= balance).map((n) => n.id));
    expect(affordable).toEqual(expect.arrayContaining([exactly, onSale]));
    expect(affordable).not.toContain(onePointShort);
    // Combined with other filters, and false means no filter.
    expect((await all({ filter: { affordableForMe: true, merchantId } }, 20, consumer)).every((n) => n.merchant.id === merchantId && n.currentPointsCost <= balance)).toBe(true);
    expect((await all({ filter: { affordableForMe: false } }, 50)).length).toBe(everything.length);
  });

  it('shows a consumer without points nothing', async () => {
    const newcomer = await t.token({ role: 'consumer', sub: randomUUID() });
    expect((await page({ filter: { affordableForMe: true } }, newcomer)).edges).toEqual([]);
  });

  it('refuses anyone who is not a consumer with a code: UNAUTHENTICATED anonymously, FORBIDDEN signed in, outside the partner contract', async () => {
    const filter = { affordableForMe: true };
    expect(await codes({ filter })).toEqual(['UNAUTHENTICATED']);
    for (const claims of [{ role: 'merchant', merchantId }, { role: 'admin', sub: 'a' }, { role: 'analyst', sub: 'b' }] as const) {
      expect(await codes({ filter }, await t.token(claims))).toEqual(['FORBIDDEN']);
    }
    // Partners: outside their contract in the query text; a value smuggled in through variables reaches
    // the subgraph (the gateway coerces variables against the full schema) and is refused there.
    const partnerToken = await t.token({ role: 'partner', partnerId: 'p-1' });
    const literal = await t.graphql('{ catalog(filter: { affordableForMe: true }) { edges { cursor } } }', {}, partnerToken);
    expect(literal.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await codes({ filter }, partnerToken)).toEqual(['FORBIDDEN']);
  });
});
