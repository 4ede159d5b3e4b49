// Proves the platform's report minus merchants' reports leaves nobody or k people even to a merchant that knows its own sales: where a cell's rest beyond its large merchants' cells is 1 to k-1 people (one customer of a third merchant), the platform's cell shows those merchants' cells only (shownMerchantCells).
import { randomUUID } from 'node:crypto';
import { DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const PLATFORM = `query ($p: PeriodInput) { platformGreenReport(period: $p) { totals { records co2eGrams } } }`;
const MERCHANT = `query ($id: ID!, $p: PeriodInput) { merchant(id: $id) { greenImpact(period: $p) { totals { records co2eGrams } } } }`;

let t: TestStack;
let analyst: string;
let others: string[];

async function insert(merchantId: string, people: number, grams: number) {
  for (let i = 0; i < people; i++) {
    await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams, green_points, occurred_at, recorded_at)
      VALUES (${randomUUID()}, ${`test:${randomUUID()}`}, ${randomUUID()}, ${merchantId}, 'TEST-SKU', 'LED_LIGHTING', 1, ${grams}, 0, 0, 5, '2017-07-15T10:00:00Z', '2017-07-15T10:00:00Z')`;
  }
}

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  analyst = await t.token({ role: 'analyst', sub: 'dash-hidden-merchant' });
  others = (await t.sql`SELECT id FROM merchants.merchants WHERE id <> ${DEMO_MERCHANT_ID} ORDER BY id LIMIT 2`).map((r) => r['id'] as string);
  // 2017-07, lights: twenty customers at the demo merchant, twelve at a second, one alone at a third.
  await insert(DEMO_MERCHANT_ID, 20, 1000);
  await insert(others[0]!, 12, 2000);
  await insert(others[1]!, 1, 777_777);
});
afterAll(() => t?.stop());

describe('the merchant whose cell is hidden', () => {
  it('cannot isolate the third merchant’s lone customer with its own sales', async () => {
    const p = { month: '2017-07' };
    const totals = async (query: string, vars: Record<string, unknown>) => {
      const body = (await t.graphql(query, { ...vars, p }, analyst).expect(200)).body;
      expect(body.errors).toBeUndefined();
      return (body.data.platformGreenReport ?? body.data.merchant.greenImpact).totals as { records: number; co2eGrams: number };
    };
    const platform = await totals(PLATFORM, {});
    const demo = await totals(MERCHANT, { id: DEMO_MERCHANT_ID });
    const second = await totals(MERCHANT, { id: others[0] });
    // Both large merchants are shown; the second recorded its twelve sales itself anyway (12 × 2,000 g).
    expect(demo).toEqual({ records: 20, co2eGrams: 20_000 });
    expect(second).toEqual({ records: 12, co2eGrams: 24_000 });
    const left = { records: platform.records - demo.records - second.records, co2eGrams: platform.co2eGrams - demo.co2eGrams - second.co2eGrams };
    // What is left is nobody: the platform's cell is the two large merchants' cells. (Hiding the second
    // merchant's cell instead left its owner the third merchant's one customer: 1 record, 777,777 g.)
    expect(left).toEqual({ records: 0, co2eGrams: 0 });
  });
});
