// Proves an earn rule cannot be published into the past (in code and by a CHECK in Postgres), a merchant publishes only its own, the ledger earns by the version in effect at the purchase time, and programRules states the rules in force.
import { randomUUID } from 'node:crypto';
import { DAY_MS, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/eventsDb.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const PUBLISH = `mutation ($id: ID!, $input: EarnRuleInput!) { publishEarnRule(merchantId: $id, input: $input) { version pointsPerYuan pendingDays perOrderCap effectiveFrom publishedAt } }`;
const RULES = `query ($id: ID!) { merchant(id: $id) { earnRule { version pointsPerYuan } earnRuleHistory { version pointsPerYuan effectiveFrom publishedAt } } }`;
const RECORD = `mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) { id points expiresAt } }`;
const PROGRAM = `{ programRules { earning pending expiry redemption neverAllowed pointsValidDays maxPendingDays cashOut transferOutsideHousehold interest } }`;

type Body = { data: Record<string, unknown> | null; errors?: { extensions: { code: string } }[] };
const codesOf = (body: Body) => (body.errors ?? []).map((e) => e.extensions.code);

let t: TestStack;
let merchant: string;
let userId: string;

beforeAll(async () => {
  t = await startTestStack();
  merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
  const [u] = await t.sql`SELECT id FROM users.users WHERE status = 'ACTIVE' AND household_id IS NULL ORDER BY id LIMIT 1`;
  userId = u!['id'];
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
    expect(events.map((e) => e['payload'])).toEqual([{ merchantId: DEMO_MERCHANT_ID, version: published.version, pointsPerYuan: 9, pendingDays: 1, perOrderCap: null, effectiveFrom: at.toISOString() }]);
  });
});

describe('earning by the version in effect', () => {
  it('earns by the old version before effectiveFrom and by the new one after it', async () => {
    // The future version published above (30 days out) must not apply; this one applies in a few seconds.
    const effectiveFrom = new Date(Date.now() + 4_000);
    const { version } = (await call(PUBLISH, { id: DEMO_MERCHANT_ID, input: { pointsPerYuan: 7, pendingDays: 1, perOrderCap: null, effectiveFrom: effectiveFrom.toISOString() } }, merchant)).data!['publishEarnRule'] as { version: number };
    await until(async () => (await t.sql`SELECT 1 FROM ledger.earn_rules WHERE merchant_id = ${DEMO_MERCHANT_ID} AND version = ${version}`).length === 1, 15_000, 'the rule to reach the ledger');
    const record = async () => {
      const body = await call(RECORD, { input: { userId, merchantId: DEMO_MERCHANT_ID, amountMinor: 10_000 }, key: randomUUID() }, merchant);
      expect(body.errors).toBeUndefined();
      return body.data!['recordPurchase'] as { points: number; expiresAt: string };
    };
    expect(Date.now()).toBeLessThan(effectiveFrom.getTime());
    const before = await record();
    await until(async () => Date.now() > effectiveFrom.getTime() + 50, 10_000, 'the version to take effect');
    const after = await record();
    // The seeded rule gives 2 points per yuan; the new version 7 (both times the same tier multiplier).
    expect(before.points).toBeGreaterThan(0);
    expect(after.points * 2).toBe(before.points * 7);
    const m = (await call(RULES, { id: DEMO_MERCHANT_ID })).data!['merchant'] as { earnRule: { version: number } };
    expect(m.earnRule.version).toBe(version);
  });
});

describe('programRules', () => {
  it('states the rules in force: expiry as the ledger applies it, the longest return window, and the red lines', async () => {
    const body = await call(PROGRAM, {});
    expect(body.errors).toBeUndefined();
    const rules = body.data!['programRules'] as Record<string, unknown> & { pointsValidDays: number; maxPendingDays: number; neverAllowed: string[] };
    expect(rules).toMatchObject({ cashOut: false, transferOutsideHousehold: false, interest: false });
    expect(rules.neverAllowed.length).toBeGreaterThanOrEqual(3);
    for (const text of ['earning', 'pending', 'expiry', 'redemption']) expect(rules[text]).toEqual(expect.any(String));

    const [inForce] = await t.sql`SELECT max(pending_days)::int AS max FROM (
      SELECT DISTINCT ON (r.merchant_id) r.pending_days FROM merchants.earn_rules r JOIN merchants.merchants m ON m.id = r.merchant_id
      WHERE m.status = 'ACTIVE' AND r.effective_from <= now() ORDER BY r.merchant_id, r.version DESC) x`;
    expect(rules.maxPendingDays).toBe(inForce!['max']);
    expect(rules['pending']).toContain(String(rules.maxPendingDays));

    const started = Date.now();
    const body2 = await call(RECORD, { input: { userId, merchantId: DEMO_MERCHANT_ID, amountMinor: 1_000 }, key: randomUUID() }, merchant);
    const expiresAt = Date.parse((body2.data!['recordPurchase'] as { expiresAt: string }).expiresAt);
    expect(Math.abs(expiresAt - started - rules.pointsValidDays * DAY_MS)).toBeLessThan(60_000);
  });

  it('is public: an anonymous caller reads it', async () => {
    expect(codesOf(await call(PROGRAM, {}))).toEqual([]);
  });
});
