// Proves admins admit and suspend merchants (events in the same transaction), a merchant edits only its own profile, products and rewards, rewards need terms and a validity, a suspended merchant leaves the catalogue and cannot issue points, and a transaction names its merchant as the merchants subgraph does, renames included.
import { randomUUID } from 'node:crypto';
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/eventsDb.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const REGISTER = `mutation ($input: RegisterMerchantInput!) { registerMerchant(input: $input) { id name category status } }`;
const STATUS = `mutation ($id: ID!, $status: MerchantStatus!) { setMerchantStatus(merchantId: $id, status: $status) { id status } }`;
const PROFILE = `mutation ($id: ID!, $input: MerchantProfileInput!) { updateMerchantProfile(merchantId: $id, input: $input) { id name category } }`;
const PRODUCT = `mutation ($id: ID!, $input: ProductInput!) { listProduct(merchantId: $id, input: $input) { sku name priceMinor merchant { id } } }`;
const REWARD = `mutation ($id: ID!, $input: RewardInput!) { upsertReward(merchantId: $id, input: $input) { id title pointsCost currentPointsCost terms validUntil merchant { id } } }`;
const CATALOG = `query ($filter: CatalogFilter) { catalog(filter: $filter, first: 100) { edges { node { id } } } }`;
const RECORD = `mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) { id } }`;

type Body = { data: Record<string, unknown> | null; errors?: { extensions: { code: string } }[] };
const codesOf = (body: Body) => (body.errors ?? []).map((e) => e.extensions.code);

let t: TestStack;
let admin: string;
let own: string;
let ownId: string;

const reward = (extra: Record<string, unknown> = {}) => ({
  title: '洗车一次 Car wash', kind: 'SERVICE', pointsCost: 500, stock: 5, validFrom: '2026-01-01T00:00:00Z', terms: 'Any branch, book a day ahead.', ...extra,
});
async function call(query: string, variables: Record<string, unknown>, token?: string): Promise<Body> {
  return (await t.graphql(query, variables, token).expect(200)).body as Body;
}
const outbox = (type: string, merchantId: string) =>
  t.sql`SELECT payload FROM merchants.outbox WHERE type = ${type} AND payload->>'merchantId' = ${merchantId} ORDER BY position`;

beforeAll(async () => {
  t = await startTestStack();
  admin = await t.token({ role: 'admin', sub: 'admin-1' });
  const registered = await call(REGISTER, { input: { name: '瑜伽馆 Lotus Yoga', category: 'FITNESS', settlementMinorPer100Points: 55 } }, admin);
  ownId = (registered.data!['registerMerchant'] as { id: string }).id;
  own = await t.token({ role: 'merchant', merchantId: ownId });
});
afterAll(() => t?.stop());

describe('admission', () => {
  it('admits a merchant as ACTIVE and publishes MerchantRegistered with it', async () => {
    const merchant = (await call(`{ merchant(id: "${ownId}") { name category status } }`, {})).data!['merchant'];
    expect(merchant).toEqual({ name: '瑜伽馆 Lotus Yoga', category: 'FITNESS', status: 'ACTIVE' });
    expect((await outbox('MerchantRegistered', ownId)).map((r) => r['payload'])).toEqual([
      { merchantId: ownId, name: '瑜伽馆 Lotus Yoga', category: 'FITNESS', status: 'ACTIVE', settlementMinorPer100Points: 55 },
    ]);
  });

  it('refuses a blank name or a negative settlement price with BAD_USER_INPUT, and a merchant admitting one with FORBIDDEN', async () => {
    const before = await t.sql`SELECT count(*)::int AS n FROM merchants.merchants`;
    expect(codesOf(await call(REGISTER, { input: { name: '  ', category: 'FRUIT', settlementMinorPer100Points: 50 } }, admin))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await call(REGISTER, { input: { name: 'X', category: 'FRUIT', settlementMinorPer100Points: -1 } }, admin))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await call(REGISTER, { input: { name: 'X', category: 'FRUIT', settlementMinorPer100Points: 50 } }, own))).toEqual(['FORBIDDEN']);
    expect(await t.sql`SELECT count(*)::int AS n FROM merchants.merchants`).toEqual(before);
  });
});

describe("a merchant's own catalogue", () => {
  it('edits its own profile, lists its own product (ProductListed) and adds its own reward, which the catalogue shows', async () => {
    expect((await call(PROFILE, { id: ownId, input: { name: '莲花瑜伽 Lotus Yoga' } }, own)).data!['updateMerchantProfile']).toEqual({ id: ownId, name: '莲花瑜伽 Lotus Yoga', category: 'FITNESS' });
    const product = await call(PRODUCT, { id: ownId, input: { sku: 'YOGA-CLASS-1', name: '单次课 One class', priceMinor: 9_900, category: 'CLASS' } }, own);
    expect(product.data!['listProduct']).toEqual({ sku: 'YOGA-CLASS-1', name: '单次课 One class', priceMinor: 9_900, merchant: { id: ownId } });
    expect((await outbox('ProductListed', ownId)).map((r) => r['payload'])).toEqual([{ sku: 'YOGA-CLASS-1', merchantId: ownId, name: '单次课 One class', priceMinor: 9_900, category: 'CLASS' }]);
    const saved = (await call(REWARD, { id: ownId, input: reward() }, own)).data!['upsertReward'] as { id: string };
    expect(saved).toMatchObject({ title: '洗车一次 Car wash', pointsCost: 500, validUntil: null, merchant: { id: ownId } });
    const catalog = await call(CATALOG, { filter: { merchantId: ownId } });
    expect((catalog.data!['catalog'] as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id)).toEqual([saved.id]);
  });

  it('publishes MerchantProfileUpdated with the whole profile after an edit, and nothing for an edit that changes nothing', async () => {
    const before = (await outbox('MerchantProfileUpdated', ownId)).length;
    await call(PROFILE, { id: ownId, input: { category: 'RETAIL' } }, own);
    await call(PROFILE, { id: ownId, input: { category: 'RETAIL' } }, own);
    await call(PROFILE, { id: ownId, input: {} }, own);
    await call(PROFILE, { id: ownId, input: { category: 'FITNESS' } }, own);
    const events = (await outbox('MerchantProfileUpdated', ownId)).map((r) => r['payload']).slice(before);
    expect(events).toEqual([
      { merchantId: ownId, name: '莲花瑜伽 Lotus Yoga', category: 'RETAIL' },
      { merchantId: ownId, name: '莲花瑜伽 Lotus Yoga', category: 'FITNESS' },
    ]);
  });

  it('lists its rewards cheapest first by the cost in force now (a sale inside its window counts, one outside does not)', async () => {
    const now = Date.now();
    const window = (from: number, to: number) => ({ startsAt: new Date(now + from).toISOString(), endsAt: new Date(now + to).toISOString() });
    await call(REWARD, { id: ownId, input: reward({ title: 'Dear, on sale', pointsCost: 9_000, sale: { pointsCost: 100, ...window(-60_000, 86_400_000) } }) }, own);
    await call(REWARD, { id: ownId, input: reward({ title: 'Sale later', pointsCost: 8_000, sale: { pointsCost: 50, ...window(86_400_000, 2 * 86_400_000) } }) }, own);
    await call(REWARD, { id: ownId, input: reward({ title: 'Mid', pointsCost: 300 }) }, own);
    const res = await call(`{ merchant(id: "${ownId}") { rewards { title pointsCost currentPointsCost } } }`, {});
    const list = (res.data!['merchant'] as { rewards: { title: string; currentPointsCost: number }[] }).rewards;
    const costs = list.map((r) => r.currentPointsCost);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    expect(list.findIndex((r) => r.title === 'Dear, on sale')).toBeLessThan(list.findIndex((r) => r.title === 'Mid'));
    expect(list.at(-1)!.title).toBe('Sale later');
  });

  it('admits a reward with unlimited stock only when asked for in so many words', async () => {
    const saved = await call(`mutation ($id: ID!, $input: RewardInput!) { upsertReward(merchantId: $id, input: $input) { id stockLeft unlimitedStock inStock } }`, { id: ownId, input: reward({ stock: null, unlimitedStock: true, title: 'Online class pass' }) }, own);
    expect(saved.data!['upsertReward']).toMatchObject({ stockLeft: null, unlimitedStock: true, inStock: true });
    const [row] = await t.sql`SELECT stock FROM merchants.rewards WHERE id = ${(saved.data!['upsertReward'] as { id: string }).id}`;
    expect(row!['stock']).toBeNull();
  });

  it('replaces its own reward by id, sale window included', async () => {
    const { id } = (await call(REWARD, { id: ownId, input: reward({ title: 'Yoga mat' }) }, own)).data!['upsertReward'] as { id: string };
    const sale = { pointsCost: 400, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: '2099-01-01T00:00:00Z' };
    const updated = await call(REWARD, { id: ownId, input: reward({ id, title: 'Yoga mat (season)', sale }) }, own);
    expect(updated.data!['upsertReward']).toMatchObject({ id, title: 'Yoga mat (season)', pointsCost: 500, currentPointsCost: 400 });
  });

  it("refuses another merchant's profile, products and rewards with FORBIDDEN and writes nothing", async () => {
    const before = await t.sql`SELECT (SELECT count(*) FROM merchants.products)::int AS p, (SELECT count(*) FROM merchants.rewards)::int AS r,
      (SELECT name FROM merchants.merchants WHERE id = ${DEMO_MERCHANT_ID}) AS name`;
    expect(codesOf(await call(PROFILE, { id: DEMO_MERCHANT_ID, input: { name: 'Taken over' } }, own))).toEqual(['FORBIDDEN']);
    expect(codesOf(await call(PRODUCT, { id: DEMO_MERCHANT_ID, input: { sku: 'EVIL-1', name: 'x', priceMinor: 1, category: 'X' } }, own))).toEqual(['FORBIDDEN']);
    expect(codesOf(await call(REWARD, { id: DEMO_MERCHANT_ID, input: reward() }, own))).toEqual(['FORBIDDEN']);
    // Nor through its own merchant id: a reward of another merchant, named by id.
    const [demoReward] = await t.sql`SELECT id FROM merchants.rewards WHERE merchant_id = ${DEMO_MERCHANT_ID} LIMIT 1`;
    expect(codesOf(await call(REWARD, { id: ownId, input: reward({ id: demoReward!['id'] }) }, own))).toEqual(['FORBIDDEN']);
    expect(codesOf(await call(REWARD, { id: ownId, input: reward({ id: randomUUID() }) }, own))).toEqual(['NOT_FOUND']);
    expect(await t.sql`SELECT (SELECT count(*) FROM merchants.products)::int AS p, (SELECT count(*) FROM merchants.rewards)::int AS r,
      (SELECT name FROM merchants.merchants WHERE id = ${DEMO_MERCHANT_ID}) AS name`).toEqual(before);
    // An admin may edit any merchant.
    expect(codesOf(await call(PROFILE, { id: DEMO_MERCHANT_ID, input: {} }, admin))).toEqual([]);
  });

  it('requires terms and a validity that has not ended, and a sale below the regular price', async () => {
    const bad = [
      reward({ terms: '   ' }),
      reward({ validUntil: '2020-01-01T00:00:00Z' }),
      reward({ validFrom: '2026-06-01T00:00:00Z', validUntil: '2026-05-01T00:00:00Z' }),
      reward({ sale: { pointsCost: 600, startsAt: '2026-01-01T00:00:00Z', endsAt: '2099-01-01T00:00:00Z' } }),
      reward({ sale: { pointsCost: 300, startsAt: '2027-01-01T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' } }),
      reward({ pointsCost: 0 }),
      reward({ stock: -1 }),
    ];
    bad.push(reward({ stock: null }), reward({ unlimitedStock: true }));
    for (const input of bad) expect({ input, codes: codesOf(await call(REWARD, { id: ownId, input }, own)) }).toEqual({ input, codes: ['BAD_USER_INPUT'] });
    const missingTerms = await t.graphql(REWARD, { id: ownId, input: { ...reward(), terms: undefined } }, own).expect(200);
    expect(missingTerms.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a SKU that is already listed (by anyone) with SKU_TAKEN, and a malformed one with BAD_USER_INPUT', async () => {
    const [demoSku] = await t.sql`SELECT sku FROM merchants.products WHERE merchant_id = ${DEMO_MERCHANT_ID} LIMIT 1`;
    expect(codesOf(await call(PRODUCT, { id: ownId, input: { sku: demoSku!['sku'], name: 'x', priceMinor: 1, category: 'X' } }, own))).toEqual(['SKU_TAKEN']);
    expect(codesOf(await call(PRODUCT, { id: ownId, input: { sku: 'has space', name: 'x', priceMinor: 1, category: 'X' } }, own))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await call(PRODUCT, { id: ownId, input: { sku: 'OK-1', name: 'x', priceMinor: 1, category: 'lower' } }, own))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('suspension', () => {
  it("takes a suspended merchant's rewards out of the catalogue, stops it issuing points, and reinstating restores both", async () => {
    const merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
    const rewardsOf = async () => ((await call(CATALOG, { filter: { merchantId: DEMO_MERCHANT_ID } })).data!['catalog'] as { edges: unknown[] }).edges.length;
    const record = async () => codesOf(await call(RECORD, { input: { userId: DEMO_CONSUMER_ID, merchantId: DEMO_MERCHANT_ID, amountMinor: 1_000 }, key: randomUUID() }, merchant));
    const copy = async () => (await t.sql`SELECT status FROM ledger.merchant_copies WHERE merchant_id = ${DEMO_MERCHANT_ID}`)[0]?.['status'];
    expect(await rewardsOf()).toBeGreaterThan(0);
    expect(await record()).toEqual([]);

    expect(codesOf(await call(STATUS, { id: DEMO_MERCHANT_ID, status: 'SUSPENDED' }, merchant))).toEqual(['FORBIDDEN']);
    expect((await call(STATUS, { id: DEMO_MERCHANT_ID, status: 'SUSPENDED' }, admin)).data!['setMerchantStatus']).toEqual({ id: DEMO_MERCHANT_ID, status: 'SUSPENDED' });
    expect((await outbox('MerchantStatusChanged', DEMO_MERCHANT_ID)).map((r) => r['payload'])).toEqual([{ merchantId: DEMO_MERCHANT_ID, status: 'SUSPENDED', previousStatus: 'ACTIVE' }]);
    expect(await rewardsOf()).toBe(0);
    await until(async () => (await copy()) === 'SUSPENDED', 15_000, 'the suspension to reach the ledger');
    expect(await record()).toEqual(['MERCHANT_NOT_ACTIVE']);

    await call(STATUS, { id: DEMO_MERCHANT_ID, status: 'ACTIVE' }, admin);
    expect(await rewardsOf()).toBeGreaterThan(0);
    await until(async () => (await copy()) === 'ACTIVE', 15_000, 'the reinstatement to reach the ledger');
    expect(await record()).toEqual([]);
  });

  it('refuses an unknown merchant with NOT_FOUND', async () => {
    expect(codesOf(await call(STATUS, { id: randomUUID(), status: 'SUSPENDED' }, admin))).toEqual(['NOT_FOUND']);
  });
});

describe("a transaction's merchant", () => {
  const TRANSACTIONS = `{ me { points { transactions(first: 50) { edges { node { id merchant { id name category } } } } } } }`;
  type Page = { me: { points: { transactions: { edges: { node: { merchant: { id: string; name: string; category: string } | null } }[] } } } };
  const merchantsOf = async (token: string) =>
    ((await call(TRANSACTIONS, {}, token)).data as Page).me.points.transactions.edges.flatMap((e) => (e.node.merchant ? [e.node.merchant] : []));

  it("comes with the merchants subgraph's own name and category, and a renamed merchant's new name once the ledger has the event", async () => {
    const consumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    const merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
    const truth = async () => new Map((await t.sql`SELECT id::text, name, category FROM merchants.merchants`).map((m) => [m['id'] as string, { name: m['name'], category: m['category'] }]));
    const named = await merchantsOf(consumer);
    expect(named.some((m) => m.id === DEMO_MERCHANT_ID)).toBe(true);
    const known = await truth();
    for (const m of named) expect({ name: m.name, category: m.category }).toEqual(known.get(m.id));

    const [{ name: original } = { name: '' }] = (await t.sql`SELECT name FROM merchants.merchants WHERE id = ${DEMO_MERCHANT_ID}`) as unknown as { name: string }[];
    const renamed = `${original} (新店 new branch)`;
    expect(codesOf(await call(PROFILE, { id: DEMO_MERCHANT_ID, input: { name: renamed } }, merchant))).toEqual([]);
    await until(async () => (await merchantsOf(consumer)).filter((m) => m.id === DEMO_MERCHANT_ID).every((m) => m.name === renamed), 20_000, "the ledger's copy of the new name");
    expect(codesOf(await call(PROFILE, { id: DEMO_MERCHANT_ID, input: { name: original } }, merchant))).toEqual([]);
    await until(async () => (await merchantsOf(consumer)).filter((m) => m.id === DEMO_MERCHANT_ID).every((m) => m.name === original), 20_000, 'the name restored');
  });
});
