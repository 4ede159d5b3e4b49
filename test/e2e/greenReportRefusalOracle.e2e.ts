// Proves a month of one customer and a month of none read alike (zeros) on the platform's and a merchant's report: refusing the one (GROUP_TOO_SMALL) while answering none with zeros told whether anyone was there.
import { randomUUID } from 'node:crypto';
import { DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const PLATFORM = `query ($p: PeriodInput) { platformGreenReport(period: $p) { totals { records co2eGrams } } }`;
const MERCHANT = `query ($p: PeriodInput) { merchant(id: "${DEMO_MERCHANT_ID}") { greenImpact(period: $p) { totals { records co2eGrams } } } }`;

let t: TestStack;
let analyst: string;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  analyst = await t.token({ role: 'analyst', sub: 'dash-oracle' });
  // 2016-02: one customer of the demo merchant. 2016-03: nobody.
  await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams, green_points, occurred_at, recorded_at)
    VALUES (${randomUUID()}, ${`test:${randomUUID()}`}, ${randomUUID()}, ${DEMO_MERCHANT_ID}, 'TEST-SKU', 'LED_LIGHTING', 1, 1000, 0, 0, 5, '2016-02-10T10:00:00Z', '2016-02-10T10:00:00Z')`;
});
afterAll(() => t?.stop());

const answer = async (query: string, month: string) => {
  const body = (await t.graphql(query, { p: { month } }, analyst).expect(200)).body as { data?: unknown; errors?: { extensions: { code: string } }[] };
  return { codes: (body.errors ?? []).map((e) => e.extensions.code), data: body.data };
};

describe('a month of one customer and a month of none', () => {
  for (const [name, query] of [['platform', PLATFORM], ['merchant', MERCHANT]] as const) {
    it(`answer alike (${name})`, async () => {
      const one = await answer(query, '2016-02');
      const none = await answer(query, '2016-03');
      // Before: one customer was refused (GROUP_TOO_SMALL), none answered with zeros.
      expect(one).toEqual(none);
    });
  }
});
