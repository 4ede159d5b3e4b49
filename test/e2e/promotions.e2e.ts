// Proves promotions are published only by their merchant (or an admin), never into the past (in code and by a CHECK), are disclosed, are applied by the ledger by eligibility with stacking and the per-order cap (points computed by hand), are recorded on each purchase, and that a budget cap holds under many concurrent purchases.
import { randomUUID } from 'node:crypto';
import { DAY_MS, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/eventsDb.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const PUBLISH = `mutation ($id: ID!, $input: PromotionInput!) { publishPromotion(merchantId: $id, input: $input) {
  id title multiplierPercent startsAt endsAt active tiers ageBands productCategories stackable budgetPoints publishedAt merchant { id } } }`;
const RECORD = `mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) {
  id points tier earnRuleVersion promotionIds promotions { id title } } }`;
const LISTED = `query ($id: ID!) { merchant(id: $id) { promotions { id title active } } programRules { earning promotions { id merchant { id } } } }`;

type Body = { data: Record<string, unknown> | null; errors?: { extensions: { code: string } }[] };
type Purchase = { id: string; points: number; tier: string; earnRuleVersion: number; promotionIds: string[]; promotions: { id: string; title: string }[] };
const codesOf = (body: Body) => (body.errors ?? []).map((e) => e.extensions.code);

let t: TestStack;
let admin: string;
let demo: string;
let phone = 0;

beforeAll(async () => {
  t = await startTestStack();
  admin = await t.token({ role: 'admin', sub: 'admin-1' });
  demo = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
});
afterAll(() => t?.stop());

const call = async (query: string, variables: Record<string, unknown>, token?: string) => (await t.graphql(query, variables, token).expect(200)).body as Body;
const promotion = (extra: Record<string, unknown> = {}) => ({
  title: '双倍积分 Double points', multiplierPercent: 200, startsAt: new Date(Date.now() + DAY_MS).toISOString(),
  endsAt: new Date(Date.now() + 10 * DAY_MS).toISOString(), budgetPoints: 10_000, ...extra,
});
const promotionCount = async () => (await t.sql`SELECT count(*)::int AS n FROM merchants.promotions`)[0]!['n'] as number;

/** A new member the ledger knows (SEED tier: no spend yet), of the given age band. */
async function newMember(ageBand: 'AGE_18_59' | 'AGE_60_PLUS'): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = await t.token({ role: 'consumer', sub: id });
  const body = await call('mutation ($p: String!, $a: AgeBand!) { registerUser(input: { displayName: "会员", phone: $p, ageBand: $a }) { id } }', { p: `1360000${String(++phone).padStart(4, '0')}`, a: ageBand }, token);
  expect(body.errors).toBeUndefined();
  return { id, token };
}
const known = (ids: string[]) => until(async () => (await t.sql`SELECT count(*)::int AS n FROM ledger.user_copies WHERE user_id = ANY(${ids}::uuid[])`)[0]!['n'] === ids.length, 30_000, 'the users to reach the ledger');

/** Publishes a promotion starting in `inMs` and waits until the ledger has it and it has started. */
async function publishSoon(merchantId: string, token: string, input: Record<string, unknown>, inMs = 3_000): Promise<string> {
  const startsAt = new Date(Date.now() + inMs);
  const body = await call(PUBLISH, { id: merchantId, input: { ...promotion(), startsAt: startsAt.toISOString(), ...input } }, token);
  expect(body.errors).toBeUndefined();
  const { id } = body.data!['publishPromotion'] as { id: string };
  await until(async () => (await t.sql`SELECT 1 FROM ledger.promotions WHERE promotion_id = ${id}`).length === 1, 15_000, 'the promotion to reach the ledger');
  await until(async () => Date.now() > startsAt.getTime() + 50, 10_000, 'the promotion to start');
  return id;
}

async function record(input: Record<string, unknown>, token = demo): Promise<Purchase> {
  const body = await call(RECORD, { input: { merchantId: DEMO_MERCHANT_ID, ...input }, key: randomUUID() }, token);
  expect(body.errors).toBeUndefined();
  return body.data!['recordPurchase'] as Purchase;
}

describe('publishing promotions', () => {
  it('publishes a promotion of its own, disclosed as it was given, with PromotionPublished in the same transaction', async () => {
    const input = promotion({ tiers: ['TREE', 'FOREST'], ageBands: ['AGE_60_PLUS'], productCategories: ['FRESH_FRUIT', 'FRESH_FRUIT'], stackable: true });
    const body = await call(PUBLISH, { id: DEMO_MERCHANT_ID, input }, demo);
    expect(body.errors).toBeUndefined();
    const p = body.data!['publishPromotion'] as { id: string; publishedAt: string };
    expect(p).toMatchObject({
      title: input.title, multiplierPercent: 200, startsAt: input.startsAt, endsAt: input.endsAt, active: false, tiers: ['TREE', 'FOREST'],
      ageBands: ['AGE_60_PLUS'], productCategories: ['FRESH_FRUIT'], stackable: true, budgetPoints: 10_000, merchant: { id: DEMO_MERCHANT_ID },
    });
    const events = await t.sql`SELECT payload FROM merchants.outbox WHERE type = 'PromotionPublished' AND payload->>'promotionId' = ${p.id}`;
    expect(events.map((e) => e['payload'])).toEqual([{
      promotionId: p.id, merchantId: DEMO_MERCHANT_ID, multiplierPercent: 200, startsAt: input.startsAt, endsAt: input.endsAt,
      tiers: ['TREE', 'FOREST'], ageBands: ['60_PLUS'], productCategories: ['FRESH_FRUIT'], stackable: true, budgetPoints: 10_000,
    }]);
  });

  it("refuses another merchant's promotion with FORBIDDEN, and lets an admin publish for any merchant", async () => {
    const before = await promotionCount();
    const other = await t.token({ role: 'merchant', merchantId: randomUUID() });
    expect(codesOf(await call(PUBLISH, { id: DEMO_MERCHANT_ID, input: promotion() }, other))).toEqual(['FORBIDDEN']);
    expect(await promotionCount()).toBe(before);
    expect(codesOf(await call(PUBLISH, { id: DEMO_MERCHANT_ID, input: promotion({ title: 'By the alliance' }) }, admin))).toEqual([]);
    expect(await promotionCount()).toBe(before + 1);
  });

  it('refuses a start in the past, an empty or year-long window, a multiplier outside ×1.01–×20, a bad category and a budget of nothing', async () => {
    const before = await promotionCount();
    for (const extra of [
      { startsAt: new Date(Date.now() - 60_000).toISOString() },
      { endsAt: new Date(Date.now() + DAY_MS).toISOString() },
      { endsAt: new Date(Date.now() + 400 * DAY_MS).toISOString() },
      { multiplierPercent: 100 },
      { multiplierPercent: 2_001 },
      { productCategories: ['fruit'] },
      { budgetPoints: 0 },
      { title: '  ' },
    ]) {
      expect({ extra, codes: codesOf(await call(PUBLISH, { id: DEMO_MERCHANT_ID, input: promotion(extra) }, demo)) }).toEqual({ extra, codes: ['BAD_USER_INPUT'] });
    }
    expect(await promotionCount()).toBe(before);
  });

  it('is refused by Postgres too: a promotion starting before its publication breaks a CHECK', async () => {
    await expect(
      t.sql`INSERT INTO merchants.promotions (id, merchant_id, title, multiplier_percent, starts_at, ends_at, budget_points, published_at)
        VALUES (${randomUUID()}, ${DEMO_MERCHANT_ID}, 'Backdated', 200, now() - interval '1 day', now() + interval '1 day', 100, now())`,
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('lists promotions in force and upcoming on the merchant and in programRules, never ended ones', async () => {
    const ended = randomUUID();
    await t.sql`INSERT INTO merchants.promotions (id, merchant_id, title, multiplier_percent, starts_at, ends_at, budget_points, published_at)
      VALUES (${ended}, ${DEMO_MERCHANT_ID}, 'Over', 200, now() - interval '3 days', now() - interval '1 day', 100, now() - interval '4 days')`;
    const body = await call(LISTED, { id: DEMO_MERCHANT_ID });
    const listed = (body.data!['merchant'] as { promotions: { id: string }[] }).promotions.map((p) => p.id);
    const [{ ids }] = (await t.sql`SELECT array_agg(id ORDER BY starts_at, id)::text[] AS ids FROM merchants.promotions WHERE merchant_id = ${DEMO_MERCHANT_ID} AND ends_at > now()`) as unknown as [{ ids: string[] }];
    expect(listed).toEqual(ids);
    expect(listed).not.toContain(ended);
    const rules = body.data!['programRules'] as { earning: string; promotions: { id: string }[] };
    expect(rules.promotions.map((p) => p.id)).toEqual(expect.arrayContaining(ids));
    expect(rules.promotions.map((p) => p.id)).not.toContain(ended);
    expect(rules.earning).toContain('promotion');
  });
});

describe('earning with promotions', () => {
  let senior: string;
  let fruit: string;
  let everyone: string;

  it('applies what each member is eligible for: the best single promotion, or the stackable ones multiplied, by line category (by hand)', async () => {
    const [adult, elder] = [await newMember('AGE_18_59'), await newMember('AGE_60_PLUS')];
    await known([adult.id, elder.id]);
    // A promotion published before these, still in force at their purchases: backdated purchases below earn without them.
    const before = new Date(Date.now() - 1_000);
    senior = await publishSoon(DEMO_MERCHANT_ID, demo, { title: '敬老 ×15', multiplierPercent: 1_500, ageBands: ['AGE_60_PLUS'], budgetPoints: 1_000_000 }, 2_000);
    fruit = await publishSoon(DEMO_MERCHANT_ID, demo, { title: 'Fruit ×2', multiplierPercent: 200, productCategories: ['FRESH_FRUIT'], stackable: true, budgetPoints: 1_000_000 }, 2_000);
    everyone = await publishSoon(DEMO_MERCHANT_ID, demo, { title: 'Week ×1.5', multiplierPercent: 150, stackable: true, budgetPoints: 1_000_000 }, 2_000);
    // The seeded rule: 2 points per yuan, no category rates, a cap of 2,000 per order. Both members are SEED (×1).
    // A ¥100 basket: two mangoes (FRESH_FRUIT, ¥59.60) and ¥40.40 of bags (BAGS: one at ¥5.90, one at ¥34.50;
    // the lines add up to the amount paid, a ledger red line). Base 200.
    const basket = {
      amountMinor: 10_000,
      lines: [
        { sku: 'FRUIT-MANGO-1KG', quantity: 2, unitPriceMinor: 2_980 },
        { sku: 'FRUIT-BAG-REUSABLE', quantity: 1, unitPriceMinor: 590 },
        { sku: 'FRUIT-BAG-REUSABLE', quantity: 1, unitPriceMinor: 3_450 },
      ],
    };

    // The adult: fruit ×2 × 1.5 = ×3 on ¥59.60 (bonus 238.4), ×1.5 on the other ¥40.40 (bonus 40.4): 200 + 278 = 478.
    const a = await record({ userId: adult.id, ...basket });
    expect(a).toMatchObject({ tier: 'SEED', points: 478, promotionIds: [fruit, everyone].sort() });
    expect(a.promotions.map((p) => p.title).sort()).toEqual(['Fruit ×2', 'Week ×1.5']);

    // The elder: ×15 (alone) beats ×3 and ×1.5 on every line. ¥50 without lines: 100 + 1,400 = 1,500.
    expect(await record({ userId: elder.id, amountMinor: 5_000 })).toMatchObject({ points: 1_500, promotionIds: [senior] });
    // The basket: 200 + 2,800 would pass the cap; 2,000, of which 1,800 are the promotion's.
    expect(await record({ userId: elder.id, ...basket })).toMatchObject({ points: 2_000, promotionIds: [senior] });

    // Bought before the promotions started: the rule alone (earned by what was in force then).
    expect(await record({ userId: elder.id, amountMinor: 5_000, occurredAt: before.toISOString() })).toMatchObject({ points: 100, promotionIds: [] });

    const used = Object.fromEntries((await t.sql`SELECT promotion_id, used_points::int AS used FROM ledger.promotion_budgets WHERE promotion_id = ANY(${[senior, fruit, everyone]}::uuid[])`).map((r) => [r['promotion_id'], r['used']]));
    // Each is charged the bonus of the lines it lifted: fruit 238 (¥59.60 × 2 × (3 − 1)), week the whole 278, senior 1,400 + 1,800.
    expect(used).toEqual({ [fruit]: 238, [everyone]: 278, [senior]: 3_200 });
    const [row] = await t.sql`SELECT promotion_ids::text[] AS ids, earn_rule_version FROM ledger.purchases WHERE id = ${a.id}`;
    expect([...row!['ids']].sort()).toEqual([fruit, everyone].sort());
  });

  it('follows a change of age band: a member who turns 60 is eligible once the ledger has the change', async () => {
    const member = await newMember('AGE_18_59');
    await known([member.id]);
    expect(await record({ userId: member.id, amountMinor: 5_000 })).toMatchObject({ points: 150, promotionIds: [everyone] });
    expect(codesOf(await call('mutation { updateProfile(input: { ageBand: AGE_60_PLUS }) { id } }', {}, member.token))).toEqual([]);
    await until(async () => (await t.sql`SELECT age_band FROM ledger.user_copies WHERE user_id = ${member.id}`)[0]?.['age_band'] === '60_PLUS', 15_000, 'the age band to reach the ledger');
    expect(await record({ userId: member.id, amountMinor: 5_000 })).toMatchObject({ points: 1_500, promotionIds: [senior] });
  });
});

describe('promotion budgets', () => {
  it('never issues more bonus than the budget, with forty members buying at once', async () => {
    const [telecom] = await t.sql`SELECT id FROM merchants.merchants WHERE category = 'TELECOM' ORDER BY id LIMIT 1`;
    const merchantId = telecom!['id'] as string;
    const token = await t.token({ role: 'merchant', merchantId });
    const members: { id: string }[] = [];
    for (let i = 0; i < 40; i += 1) members.push(await newMember('AGE_18_59'));
    await known(members.map((m) => m.id));
    // The telecom's rule: 1 point per yuan. ¥100 earns 100, doubled 200: a bonus of 100 each, so a budget of 1,000 covers ten.
    const capped = await publishSoon(merchantId, admin, { title: 'Double, while it lasts', multiplierPercent: 200, budgetPoints: 1_000 });
    const results = await Promise.all(
      members.map(async (m, i) => {
        // Sent by the merchant and by an admin, each purchase its own key: many principals at once.
        const body = await call(RECORD, { input: { userId: m.id, merchantId, amountMinor: 10_000 }, key: randomUUID() }, i % 2 === 0 ? token : admin);
        expect(body.errors).toBeUndefined();
        return body.data!['recordPurchase'] as Purchase;
      }),
    );
    const lifted = results.filter((p) => p.promotionIds.includes(capped));
    expect(lifted).toHaveLength(10);
    expect(lifted.every((p) => p.points === 200)).toBe(true);
    expect(results.filter((p) => !p.promotionIds.includes(capped)).every((p) => p.points === 100)).toBe(true);
    const [budget] = await t.sql`SELECT used_points::int AS used, budget_points::int AS budget FROM ledger.promotion_budgets WHERE promotion_id = ${capped}`;
    expect(budget).toEqual({ used: 1_000, budget: 1_000 });
    const [{ n }] = (await t.sql`SELECT count(*)::int AS n FROM ledger.purchases WHERE ${capped}::uuid = ANY(promotion_ids)`) as unknown as [{ n: number }];
    expect(n).toBe(10);
  });
});
