// Proves a report over many people names one version per factor (the newest its records pinned), so a published cell is not split by grid factor version: one member's refund of a purchase pinned to an older version is not printed on its own (its exact kg) in the platform's or the merchant's report.
import { randomUUID } from 'node:crypto';
import { DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const FIELDS = `totals { records co2eGrams } byCategory { category factors { key version } }
  equivalents { items { key basis factors { key version } } } factors { key version }`;
const PLATFORM = `query ($p: PeriodInput) { platformGreenReport(period: $p) { ${FIELDS} } }`;
const MERCHANT = `query ($p: PeriodInput) { merchant(id: "${DEMO_MERCHANT_ID}") { greenImpact(period: $p) { ${FIELDS} } } }`;

let t: TestStack;
let analyst: string;

async function insert(o: { id?: string; userId: string; at: string; co2e: number; version: number; reverses?: string }) {
  const id = o.id ?? randomUUID();
  await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams, green_points,
      factor_key, factor_version, reverses_id, occurred_at, recorded_at)
    VALUES (${id}, ${`test:${randomUUID()}`}, ${o.userId}, ${DEMO_MERCHANT_ID}, 'TEST-SKU', 'LED_LIGHTING', ${o.reverses ? -1 : 1}, ${o.co2e}, 0, 0, ${o.reverses ? -5 : 5},
      'grid_cn', ${o.version}, ${o.reverses ?? null}, ${o.at}, ${o.at})`;
  return id;
}

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  analyst = await t.token({ role: 'analyst', sub: 'dash-factor-shares' });
  // 2015-01: one member buys a lamp whose profile pinned the 2021 grid factor (4,321 g).
  const lonely = randomUUID();
  const original = await insert({ userId: lonely, at: '2015-01-20T10:00:00Z', co2e: 4321, version: 2021 });
  // 2015-04: twelve members buy lamps under the 2022 factor; the lonely member's refund is recorded
  // then too (a reversal keeps its original's factor version). The cell holds 13 people: published.
  for (let i = 0; i < 12; i++) await insert({ userId: randomUUID(), at: '2015-04-10T10:00:00Z', co2e: 1000, version: 2022 });
  await insert({ userId: lonely, at: '2015-04-12T10:00:00Z', co2e: -4321, version: 2021, reverses: original });
});
afterAll(() => t?.stop());

describe('factor versions inside a published cell', () => {
  for (const [name, query] of [['platform', PLATFORM], ['merchant', MERCHANT]] as const) {
    it(`does not print one member's refund as its own share (${name})`, async () => {
      const body = (await t.graphql(query, { p: { month: '2015-04' } }, analyst).expect(200)).body;
      expect(body.errors).toBeUndefined();
      const report = body.data.platformGreenReport ?? body.data.merchant.greenImpact;
      // The cell is published: 13 records, 12 × 1,000 g less the refund.
      expect(report.totals).toEqual({ records: 13, co2eGrams: 12_000 - 4321 });
      const grid = report.equivalents.items.find((e: { key: string }) => e.key === 'GRID_KWH');
      // The basis must not split the cell by factor version: the 2021 share is one person (the refund, -4.321 kg).
      expect.soft(grid.basis).not.toContain('4.321 kg');
      // Nor may the factors lists say that someone in the cell holds a 2021-pinned record (a refund of an old purchase).
      expect.soft(report.factors).not.toContainEqual({ key: 'grid_cn', version: 2021 });
      expect.soft(report.byCategory[0].factors).not.toContainEqual({ key: 'grid_cn', version: 2021 });
    });
  }
});
