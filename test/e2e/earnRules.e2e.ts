// Proves an earn rule cannot be published into the past (in code and by a CHECK in Postgres), a merchant publishes only its own, category rates and expiry terms are checked, the ledger earns by the version in effect at the purchase time (its category rates and term included), and programRules states the rules in force.
import { randomUUID } from 'node:crypto';
import { DAY_MS, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/eventsDb.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const PUBLISH = `mutation ($id: ID!, $input: EarnRuleInput!) { publishEarnRule(merchantId: $id, input: $input) { version pointsPerYuan pendingDays perOrderCap categoryOverrides { category pointsPerYuan } pointsValidDays effectiveFrom publishedAt } }`;
const RULES = `query ($id: ID!) { merchant(id: $id) { earnRule { version pointsPerYuan } earnRuleHistory { version pointsPerYuan effectiveFrom publishedAt } } }`;
const RECORD = `mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) { id points tier earnRuleVersion occurredAt expiresAt } }`;
const PROGRAM = `{ programRules { earning pending expiry redemption neverAllowed pointsValidDays maxPointsValidDays maxPendingDays cashOut transferOutsideHousehold interest } }`;

type Body = { data: Record<string, unknown> | null; errors?: { extensions: { code: string } }[] };
const codesOf = (body: Body) => (body.errors ?? []).map((e) => e.extensions.code);

let t: TestStack;
let merchant: string;
let userId: string;

beforeAll(async () => {
  t = await startTestStack();
  merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
  // A new member: no spend yet, so the SEED tier (×1) and points that can be computed by hand.
  userId = randomUUID();
  const registered = await t.graphql('mutation { registerUser(input: { displayName: "规则", phone: "13912340007", ageBand: AGE_18_59 }) { id } }', {}, await t.token({ role: 'consumer', sub: userId })).expect(200);
  expect(registered.body.errors).toBeUndefined();
  await until(async () => (await t.sql`SELECT 1 FROM ledger.user_copies WHERE user_id = ${userId}`).length === 1, 15_000, 'the user to reach the ledger');
});
afterAll(() => t?.stop());

const call = async (query: string, variables: Record<string, unknown>, token?: string) => (await t.graphql(query, variables, token).expect(200)).body as Body;
const rule = (effectiveFrom: Date, extra: Record<string, unknown> = {}) => ({ pointsPerYuan: 7, pendingDays: 1, perOrderCap: null, effectiveFrom: effectiveFrom.toISOString(), ...extra });
const versions = async () => (await t.sql`SELECT count(*)::int AS n FROM merchants.earn_rules WHERE merchant_id = ${DEMO_MERCHANT_ID}`)[0]!['n'] as number;

describe('publishing earn rules', () => {
  it('refuses a rule that would take effect in the past with BAD_USER_INPUT, and writes nothing', async () => {
    const before = await versions();
    expect(codesOf(await call(PUBLISH, { id: DEMO_MERCHANT_ID, input: rule(new Date(Date.now() - 60_000)) }, merchant))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await call(PUBLISH, { id: DEMO_MERCHANT_ID, input: rule(new Date(Date.now() + DAY_MS), { pendingDays: 366 }) }, merchant))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await call(PUBLISH, { id: DEMO_MERCHANT_ID, input: rule(new Date(Date.now() + DAY_MS), { perOrderCap: 0 }) }, merchant))).toEqual(['BAD_USER_INPUT']);
    expect(await versions()).toBe(before);
  });

  it('refuses a category overridden twice, a malformed category, a negative rate and an expiry term outside 90–1830 days', async () => {
    const before = await versions();
    const later = new Date(Date.now() + DAY_MS);
    for (const extra of [
      { categoryOverrides: [{ category: 'FRESH_FRUIT', pointsPerYuan: 3 }, { category: 'FRESH_FRUIT', pointsPerYuan: 4 }] },
      { categoryOverrides: [{ category: 'fresh fruit', pointsPerYuan: 3 }] },
      { categoryOverrides: [{ category: 'FRESH_FRUIT', pointsPerYuan: -1 }] },
      { categoryOverrides: Array.from({ length: 51 }, (_, i) => ({ category: `C${i}`, pointsPerYuan: 1 })) },
      { pointsValidDays: 89 },
      { pointsValidDays: 1_831 },
    ]) {
      expect({ extra, codes: codesOf(await call(PUBLISH, { id: DEMO_MERCHANT_ID, input: rule(later, extra) }, merchant)) }).toEqual({ extra, codes: ['BAD_USER_INPUT'] });
    }
    expect(await versions()).toBe(before);
    await expect(
      t.sql`INSERT INTO merchants.earn_rules (merchant_id, version, points_per_yuan, pending_days, points_valid_days, effective_from, published_at)
        VALUES (${DEMO_MERCHANT_ID}, 998, 1, 1, 30, now() + interval '1 day', now())`,
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('is refused by Postgres too: a version effective before its publication breaks a CHECK', async () => {
    await expect(
      t.sql`INSERT INTO merchants.earn_rules (merchant_id, version, points_per_yuan, pending_days, effective_from, published_at)
        VALUES (${DEMO_MERCHANT_ID}, 999, 1, 1, now() - interval '1 day', now())`,
    ).rejects.toMatchObject({ code: '23514' });
  });

  it("refuses another merchant's rule with FORBIDDEN", async () => {
    const other = await t.token({ role: 'merchant', merchantId: randomUUID() });
    expect(codesOf(await call(PUBLISH, { id: DEMO_MERCHANT_ID, input: rule(new Date(Date.now() + DAY_MS)) }, other))).toEqual(['FORBIDDEN']);
  });

  it('publishes a future version: in the history at once, with its event, in force only from effectiveFrom', async () => {
    const at = new Date(Date.now() + 30 * DAY_MS);
    const published = (await call(PUBLISH, { id: DEMO_MERCHANT_ID, input: rule(at, { pointsPerYuan: 9 }) }, merchant)).data!['publishEarnRule'] as { version: number; publishedAt: string };
    expect(published).toMatchObject({ pointsPerYuan: 9, effectiveFrom: at.toISOString() });
    expect(Date.parse(published.publishedAt)).toBeLessThanOrEqual(at.getTime());
    const m = (await call(RULES, { id: DEMO_MERCHANT_ID })).data!['merchant'] as { earnRule: { version: number }; earnRuleHistory: { version: number }[] };
    expect(m.earnRuleHistory[0]).toMatchObject({ version: published.version, pointsPerYuan: 9 });
    expect(m.earnRuleHistory.map((r) => r.version)).toEqual([...m.earnRuleHistory.map((r) => r.version)].sort((a, b) => b - a));
    expect(m.earnRule.version).toBeLessThan(published.version);
    const events = await t.sql`SELECT payload FROM merchants.outbox WHERE type = 'EarnRulePublished' AND payload->>'merchantId' = ${DEMO_MERCHANT_ID} AND (payload->>'version')::int = ${published.version}`;
    expect(events.map((e) => e['payload'])).toEqual([
      { merchantId: DEMO_MERCHANT_ID, version: published.version, pointsPerYuan: 9, pendingDays: 1, perOrderCap: null, effectiveFrom: at.toISOString(), categoryOverrides: [], pointsValidDays: 365 },
    ]);
  });
});

describe('earning by the version in effect', () => {
  it('earns by the old version before effectiveFrom and by the new one after it, its category rates and expiry term included', async () => {
    // The future version published above (30 days out) must not apply; this one applies in a few seconds.
    const effectiveFrom = new Date(Date.now() + 4_000);
    const input = {
      pointsPerYuan: 7, pendingDays: 1, perOrderCap: null, effectiveFrom: effectiveFrom.toISOString(), pointsValidDays: 730,
      categoryOverrides: [{ category: 'FRESH_FRUIT', pointsPerYuan: 11 }, { category: 'BAGS', pointsPerYuan: 0 }],
    };
    const published = (await call(PUBLISH, { id: DEMO_MERCHANT_ID, input }, merchant)).data!['publishEarnRule'] as { version: number; categoryOverrides: unknown[] };
    expect(published.categoryOverrides).toEqual([{ category: 'BAGS', pointsPerYuan: 0 }, { category: 'FRESH_FRUIT', pointsPerYuan: 11 }]);
    const { version } = published;
    await until(async () => (await t.sql`SELECT 1 FROM ledger.earn_rules WHERE merchant_id = ${DEMO_MERCHANT_ID} AND version = ${version}`).length === 1, 15_000, 'the rule to reach the ledger');
    // Two mangoes and cherries (FRESH_FRUIT, ¥29.80 each and ¥59.90) and a bag (BAGS, ¥5.90): ¥125.40, and the
    // lines must add up to the amount paid.
    const lines = [
      { sku: 'FRUIT-MANGO-1KG', quantity: 2, unitPriceMinor: 2_980 },
      { sku: 'FRUIT-CHERRY-500G', quantity: 1, unitPriceMinor: 5_990 },
      { sku: 'FRUIT-BAG-REUSABLE', quantity: 1, unitPriceMinor: 590 },
    ];
    const record = async () => {
      const body = await call(RECORD, { input: { userId, merchantId: DEMO_MERCHANT_ID, amountMinor: 12_540, lines }, key: randomUUID() }, merchant);
      expect(body.errors).toBeUndefined();
      return body.data!['recordPurchase'] as { points: number; tier: string; earnRuleVersion: number; occurredAt: string; expiresAt: string };
    };
    expect(Date.now()).toBeLessThan(effectiveFrom.getTime());
    const before = await record();
    await until(async () => Date.now() > effectiveFrom.getTime() + 50, 10_000, 'the version to take effect');
    const after = await record();
    // Both at the SEED tier (×1): ¥250 of spend is far below the next tier.
    expect([before.tier, after.tier]).toEqual(['SEED', 'SEED']);
    // The seeded version: 2 points per yuan on all of it (250.8 → 250), expiring in 365 days.
    expect(before.points).toBe(250);
    expect(Date.parse(before.expiresAt) - Date.parse(before.occurredAt)).toBe(365 * DAY_MS);
    // The new one: ¥119.50 of fruit × 11 + ¥5.90 of bags × 0 = 1314.5 → 1314, expiring in 730 days.
    expect(after).toMatchObject({ points: 1314, earnRuleVersion: version });
    expect(Date.parse(after.expiresAt) - Date.parse(after.occurredAt)).toBe(730 * DAY_MS);
    const [lot] = await t.sql`SELECT l.expires_at FROM ledger.lots l JOIN ledger.purchases p ON p.transaction_id = l.transaction_id
      WHERE p.occurred_at = ${new Date(after.occurredAt)} AND p.user_id = ${userId} AND l.asset = 'POINTS'`;
    expect((lot!['expires_at'] as Date).toISOString()).toBe(after.expiresAt);
    const m = (await call(RULES, { id: DEMO_MERCHANT_ID })).data!['merchant'] as { earnRule: { version: number } };
    expect(m.earnRule.version).toBe(version);
  });
});

describe('programRules', () => {
  it('states the rules in force: the shortest and longest expiry terms, the longest return window, and the red lines', async () => {
    const body = await call(PROGRAM, {});
    expect(body.errors).toBeUndefined();
    const rules = body.data!['programRules'] as Record<string, unknown> & { pointsValidDays: number; maxPointsValidDays: number; maxPendingDays: number; neverAllowed: string[] };
    expect(rules).toMatchObject({ cashOut: false, transferOutsideHousehold: false, interest: false });
    expect(rules.neverAllowed.length).toBeGreaterThanOrEqual(3);
    for (const text of ['earning', 'pending', 'expiry', 'redemption']) expect(rules[text]).toEqual(expect.any(String));

    const [inForce] = await t.sql`SELECT max(pending_days)::int AS max, min(points_valid_days)::int AS min_valid, max(points_valid_days)::int AS max_valid FROM (
      SELECT DISTINCT ON (r.merchant_id) r.pending_days, r.points_valid_days FROM merchants.earn_rules r JOIN merchants.merchants m ON m.id = r.merchant_id
      WHERE m.status = 'ACTIVE' AND r.effective_from <= now() ORDER BY r.merchant_id, r.version DESC) x`;
    expect(rules).toMatchObject({ maxPendingDays: inForce!['max'], pointsValidDays: inForce!['min_valid'], maxPointsValidDays: inForce!['max_valid'] });
    // The demo merchant's rule (730 days, above) is the longest: the two terms differ and both are stated.
    expect(rules.maxPointsValidDays).toBe(730);
    expect(rules['pending']).toContain(String(rules.maxPendingDays));
    expect(rules['expiry']).toContain(`between ${rules.pointsValidDays} and ${rules.maxPointsValidDays} days`);
  });

  it("gives a purchase the expiry of its merchant's rule in force", async () => {
    const demo = (await call(`{ merchant(id: "${DEMO_MERCHANT_ID}") { earnRule { pointsValidDays } } }`, {})).data!['merchant'] as { earnRule: { pointsValidDays: number } };
    const body = await call(RECORD, { input: { userId, merchantId: DEMO_MERCHANT_ID, amountMinor: 1_000 }, key: randomUUID() }, merchant);
    const purchase = body.data!['recordPurchase'] as { occurredAt: string; expiresAt: string };
    expect(Date.parse(purchase.expiresAt) - Date.parse(purchase.occurredAt)).toBe(demo.earnRule.pointsValidDays * DAY_MS);
  });

  it('is public: an anonymous caller reads it', async () => {
    expect(codesOf(await call(PROGRAM, {}))).toEqual([]);
  });
});
