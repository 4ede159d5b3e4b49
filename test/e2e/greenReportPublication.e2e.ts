// Proves a published month of the aggregate green reports never changes: a purchase backdated into it today counts where it was recorded (this month, not yet published), in the platform's and the merchant's report, while the member's own report shows it when it happened.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const PLATFORM = `query ($p: PeriodInput) { platformGreenReport(period: $p) { totals { records co2eGrams greenPoints } byCategory { category totals { records } } } }`;
const MERCHANT = `query ($id: ID!, $p: PeriodInput) { merchant(id: $id) { greenImpact(period: $p) { totals { records co2eGrams greenPoints } } } }`;
const MINE = `query ($p: PeriodInput) { me { greenImpact(period: $p) { totals { records greenPoints } } } }`;
const RECORD = `mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) { id } }`;
const SKU = 'APP-LED-9W';

let t: TestStack;
let analyst: string;

beforeAll(async () => {
  t = await startTestStack();
  analyst = await t.token({ role: 'analyst', sub: 'dash-published' });
});
afterAll(() => t?.stop());

describe('a published month', () => {
  it('stays as published when a purchase is backdated into it', async () => {
    const [m] = await t.sql`SELECT merchant_id FROM merchants.products WHERE sku = ${SKU}`;
    const merchantId = m!['merchant_id'] as string;
    const [profile] = await t.sql`SELECT category FROM green.green_profile_versions WHERE sku = ${SKU} ORDER BY version DESC LIMIT 1`;
    const category = profile!['category'] as string;
    // The last published month (a month is published a day after it ends), and its last hour.
    const yesterday = new Date(Date.now() - 86_400_000);
    const publishedUntil = Date.UTC(yesterday.getUTCFullYear(), yesterday.getUTCMonth(), 1);
    const lastHour = new Date(publishedUntil - 3_600_000);
    const month = lastHour.toISOString().slice(0, 7);
    // Twelve customers of the SKU's category in that month, so its cell is published.
    const earlier = new Date(publishedUntil - 5 * 86_400_000).toISOString();
    for (let i = 0; i < 12; i++) {
      await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams, green_points, occurred_at, recorded_at)
        VALUES (${randomUUID()}, ${`test:${randomUUID()}`}, ${randomUUID()}, ${merchantId}, ${SKU}, ${category}, 1, 1000, 0, 0, 20, ${earlier}, ${earlier})`;
    }
    const ask = async () => {
      const [platform, merchant] = await Promise.all([t.graphql(PLATFORM, { p: { month } }, analyst).expect(200), t.graphql(MERCHANT, { id: merchantId, p: { month } }, analyst).expect(200)]);
      expect(platform.body.errors).toBeUndefined();
      expect(merchant.body.errors).toBeUndefined();
      return { platform: platform.body.data.platformGreenReport, merchant: merchant.body.data.merchant.greenImpact };
    };
    const before = await ask();
    expect(before.platform.byCategory.map((c: { category: string }) => c.category)).toContain(category);

    // Today the merchant records a purchase dated in that month's last hour.
    const [u] = await t.sql`SELECT id FROM users.users WHERE status = 'ACTIVE' ORDER BY id LIMIT 1`;
    const buyer = u!['id'] as string;
    const consumer = await t.token({ role: 'consumer', sub: buyer });
    const mine = async () => (await t.graphql(MINE, { p: { month } }, consumer).expect(200)).body.data.me.greenImpact.totals as { records: number; greenPoints: number };
    const mineBefore = await mine();
    const merchantToken = await t.token({ role: 'merchant', merchantId });
    const bought = await t.graphql(RECORD, { input: { userId: buyer, merchantId, amountMinor: 3 * 1_290, lines: [{ sku: SKU, quantity: 3, unitPriceMinor: 1_290 }], occurredAt: lastHour.toISOString() }, key: randomUUID() }, merchantToken).expect(200);
    expect(bought.body.errors).toBeUndefined();
    const purchaseId = bought.body.data.recordPurchase.id as string;
    await expect.poll(async () => (await t.sql`SELECT count(*)::int AS n FROM green.impact_records WHERE source_ref LIKE ${`purchase:${purchaseId}:%`}`)[0]!['n'], { timeout: 20_000 }).toBe(1);

    // The member sees it in the month it happened; the published month is what it was.
    expect((await mine()).records).toBe(mineBefore.records + 1);
    expect(await ask()).toEqual(before);
    const [record] = await t.sql`SELECT occurred_at, recorded_at FROM green.impact_records WHERE source_ref LIKE ${`purchase:${purchaseId}:%`}`;
    expect((record!['occurred_at'] as Date).toISOString()).toBe(lastHour.toISOString());
    expect((record!['recorded_at'] as Date).getTime()).toBeGreaterThanOrEqual(publishedUntil);
  });
});
