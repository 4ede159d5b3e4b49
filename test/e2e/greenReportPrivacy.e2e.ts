// Proves aggregate green reports never describe fewer than k people (k-anonymity; a report of too few reads as zeros), also by subtracting two reports a day or a month apart or the same report a purchase apart (periods are whole, closed UTC months; figures sums of month × category cells of k or more), and refuse bad periods as BAD_USER_INPUT.
import { randomUUID } from 'node:crypto';
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const PLATFORM = `query ($p: PeriodInput) { platformGreenReport(period: $p) {
  period { from to } totals { records co2eGrams } byCategory { category totals { records } } monthly { month } } }`;
const MERCHANT = `query ($p: PeriodInput) { merchant(id: "${DEMO_MERCHANT_ID}") { greenImpact(period: $p) { totals { records } } } }`;
const MERCHANT_TOTALS = `query ($p: PeriodInput) { merchant(id: "${DEMO_MERCHANT_ID}") { greenImpact(period: $p) { totals { records co2eGrams } } } }`;

let t: TestStack;
/** Aggregate reports need a signed-in caller; an analyst dashboard is the one that asks. */
let dashboard: string;
const lonelyAt = '2021-05-05T10:00:00.000Z';

/** Impact records for `people` distinct (made-up) customers of the demo merchant, at one instant. */
async function addRecords(at: string, category: string, people: number) {
  for (let i = 0; i < people; i++) {
    await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams, green_points, occurred_at, recorded_at)
      VALUES (${randomUUID()}, ${`test:${randomUUID()}`}, ${randomUUID()}, ${DEMO_MERCHANT_ID}, 'TEST-SKU', ${category}, 1, 1000, 0, 0, 5, ${at}, ${at})`;
  }
}

const codesOf = (body: { errors?: { extensions: { code: string } }[] }) => (body.errors ?? []).map((e) => e.extensions.code);

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  dashboard = await t.token({ role: 'analyst', sub: 'dash-2' });
  // Years before the seeded history, so each day below holds exactly these people.
  await addRecords(lonelyAt, 'LED_LIGHTING', 1);
  await addRecords('2021-06-10T09:00:00Z', 'REUSABLE_BAG', 15);
  await addRecords('2021-06-10T10:00:00Z', 'LED_LIGHTING', 12);
  await addRecords('2021-06-10T11:00:00Z', 'WATER_SAVING', 1);
});
afterAll(() => t?.stop());

describe('k-anonymity in aggregate reports', () => {
  it('answers a 1 ms window holding one customer with nothing about them, on the platform and merchant reports', async () => {
    const p = { from: lonelyAt, to: '2021-05-05T10:00:00.001Z' };
    const analyst = await t.token({ role: 'analyst', sub: 'dash-1' });
    for (const query of [PLATFORM, MERCHANT]) {
      const res = await t.graphql(query, { p }, analyst).expect(200);
      expect(codesOf(res.body)).toEqual([]);
      expect(JSON.stringify(res.body)).not.toContain('"records":1');
      expect((res.body.data.platformGreenReport ?? res.body.data.merchant.greenImpact).totals.records).toBe(0);
    }
  });

  it('widens an aggregate period to whole UTC months', async () => {
    const res = await t.graphql(PLATFORM, { p: { from: '2021-06-10T09:30:00Z', to: '2021-06-10T09:30:00.001Z' } }, dashboard).expect(200);
    expect(res.body.data.platformGreenReport.period).toEqual({ from: '2021-06-01T00:00:00.000Z', to: '2021-07-01T00:00:00.000Z' });
    // 15 bags and 12 lights; the one customer of water-saving goods is in no figure.
    expect(res.body.data.platformGreenReport.totals.records).toBe(27);
  });

  it('gives two periods a day apart the same month, so subtracting them isolates no one', async () => {
    // 2012-03: twenty customers on the 1st, one alone on the 2nd with a distinctive purchase.
    for (let i = 0; i < 20; i++) await addRecords('2012-03-01T10:00:00Z', 'LED_LIGHTING', 1);
    await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams, green_points, occurred_at, recorded_at)
      VALUES (${randomUUID()}, ${`test:${randomUUID()}`}, ${randomUUID()}, ${DEMO_MERCHANT_ID}, 'TEST-SKU', 'LED_LIGHTING', 1, 123457, 0, 0, 77, '2012-03-02T15:00:00Z', '2012-03-02T15:00:00Z')`;
    const consumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    for (const [query, pick] of [
      [PLATFORM, (b: { data: { platformGreenReport: { totals: { records: number; co2eGrams: number } } } }) => b.data.platformGreenReport.totals],
      [MERCHANT_TOTALS, (b: { data: { merchant: { greenImpact: { totals: { records: number; co2eGrams: number } } } } }) => b.data.merchant.greenImpact.totals],
    ] as const) {
      const wide = await t.graphql(query, { p: { from: '2012-03-01T00:00:00Z', to: '2012-03-03T00:00:00Z' } }, query === PLATFORM ? consumer : dashboard).expect(200);
      const narrow = await t.graphql(query, { p: { from: '2012-03-01T00:00:00Z', to: '2012-03-02T00:00:00Z' } }, query === PLATFORM ? consumer : dashboard).expect(200);
      const [w, n] = [pick(wide.body as never), pick(narrow.body as never)];
      expect(w).toEqual(n);
      expect(w.records).toBe(21);
    }
  });

  it('leaves small categories out of every figure, the totals too', async () => {
    const res = await t.graphql(PLATFORM, { p: { from: '2021-06-10T00:00:00Z', to: '2021-06-11T00:00:00Z' } }, dashboard).expect(200);
    expect(res.body.errors).toBeUndefined();
    const report = res.body.data.platformGreenReport;
    // WATER_SAVING has one customer: shown nowhere, so totals minus the categories shown is nothing.
    expect(report.byCategory).toEqual([
      { category: 'LED_LIGHTING', totals: { records: 12 } },
      { category: 'REUSABLE_BAG', totals: { records: 15 } },
    ]);
    expect(report.totals.records).toBe(27);
    expect(report.monthly).toEqual([{ month: '2021-06' }]);
  });

  it('gives two periods a month apart totals that differ only by cells of k people or more', async () => {
    // 2013-01: twenty customers of lights. 2013-02: one customer alone, with a distinctive purchase.
    // 2013-03: twelve customers of lights and one of water-saving goods.
    await addRecords('2013-01-15T10:00:00Z', 'LED_LIGHTING', 20);
    await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams, green_points, occurred_at, recorded_at)
      VALUES (${randomUUID()}, ${`test:${randomUUID()}`}, ${randomUUID()}, ${DEMO_MERCHANT_ID}, 'TEST-SKU', 'LED_LIGHTING', 1, 987654, 0, 0, 77, '2013-02-11T15:00:00Z', '2013-02-11T15:00:00Z')`;
    await addRecords('2013-03-05T10:00:00Z', 'LED_LIGHTING', 12);
    await addRecords('2013-03-06T10:00:00Z', 'WATER_SAVING', 1);
    const totals = async (query: string, p: { month?: string; from?: string; to?: string }) => {
      const body = (await t.graphql(query, { p }, dashboard).expect(200)).body;
      expect(body.errors).toBeUndefined();
      return (body.data.platformGreenReport ?? body.data.merchant.greenImpact).totals as { records: number; co2eGrams: number };
    };
    for (const query of [PLATFORM, MERCHANT_TOTALS]) {
      const january = await totals(query, { month: '2013-01' });
      const toFebruary = await totals(query, { from: '2013-01-01T00:00:00Z', to: '2013-03-01T00:00:00Z' });
      const toMarch = await totals(query, { from: '2013-01-01T00:00:00Z', to: '2013-04-01T00:00:00Z' });
      expect(january).toEqual({ records: 20, co2eGrams: 20_000 });
      // Without cells, February's difference was the lone customer's 987,654 g.
      expect(toFebruary).toEqual(january);
      // March adds its twelve lights, not its one water-saving customer.
      expect(toMarch).toEqual({ records: 32, co2eGrams: 32_000 });
    }
  });

  it('publishes a month a day after it ends: the same report asked before and after a purchase today is the same', async () => {
    const now = new Date();
    const thisMonth = now.toISOString().slice(0, 7);
    // The last published month ends where the month of yesterday begins.
    const yesterday = new Date(now.getTime() - 86_400_000);
    const publishedUntil = new Date(Date.UTC(yesterday.getUTCFullYear(), yesterday.getUTCMonth(), 1)).toISOString();
    const before = await t.graphql(PLATFORM, {}, dashboard).expect(200);
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data.platformGreenReport.period.to).toBe(publishedUntil);
    // Fifteen customers today, one of them with a distinctive purchase.
    await addRecords(now.toISOString(), 'LED_LIGHTING', 15);
    await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams, green_points, occurred_at, recorded_at)
      VALUES (${randomUUID()}, ${`test:${randomUUID()}`}, ${randomUUID()}, ${DEMO_MERCHANT_ID}, 'TEST-SKU', 'LED_LIGHTING', 1, 555555, 0, 0, 77, ${now.toISOString()}, ${now.toISOString()})`;
    const after = await t.graphql(PLATFORM, {}, dashboard).expect(200);
    expect(after.body).toEqual(before.body);
    // Asking for the open month itself, on either report, is refused with when it will close.
    for (const query of [PLATFORM, MERCHANT]) {
      const res = await t.graphql(query, { p: { month: thisMonth } }, dashboard).expect(200);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'PERIOD_NOT_CLOSED', closedUntil: publishedUntil });
    }
  });

  it("leaves no fewer than k people when merchants' reports are taken from the platform's", async () => {
    // 2014-07, lights: twenty customers at the demo merchant, twelve at a second, one alone at a third.
    const others = (await t.sql`SELECT id FROM merchants.merchants WHERE id <> ${DEMO_MERCHANT_ID} ORDER BY id LIMIT 2`).map((r) => r['id'] as string);
    const insert = async (merchantId: string, people: number, grams: number) => {
      for (let i = 0; i < people; i++) {
        await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams, green_points, occurred_at, recorded_at)
          VALUES (${randomUUID()}, ${`test:${randomUUID()}`}, ${randomUUID()}, ${merchantId}, 'TEST-SKU', 'LED_LIGHTING', 1, ${grams}, 0, 0, 5, '2014-07-15T10:00:00Z', '2014-07-15T10:00:00Z')`;
      }
    };
    await insert(DEMO_MERCHANT_ID, 20, 1000);
    await insert(others[0]!, 12, 1000);
    await insert(others[1]!, 1, 777_777);
    const p = { month: '2014-07' };
    const merchantTotals = async (id: string) => {
      const body = (await t.graphql(`query ($id: ID!, $p: PeriodInput) { merchant(id: $id) { greenImpact(period: $p) { totals { records co2eGrams } } } }`, { id, p }, dashboard).expect(200)).body;
      return (body.data?.merchant?.greenImpact?.totals ?? { records: 0, co2eGrams: 0 }) as { records: number; co2eGrams: number };
    };
    const platform = (await t.graphql(PLATFORM, { p }, dashboard).expect(200)).body.data.platformGreenReport.totals as { records: number; co2eGrams: number };
    // The cell's rest beyond the two large merchants is one customer: the platform shows the two only.
    expect(platform).toEqual({ records: 32, co2eGrams: 32_000 });
    const [demo, second] = [await merchantTotals(DEMO_MERCHANT_ID), await merchantTotals(others[0]!)];
    // Before, the platform minus them was the third merchant's one customer.
    expect(demo).toEqual({ records: 20, co2eGrams: 20_000 });
    expect(second).toEqual({ records: 12, co2eGrams: 12_000 });
    expect(platform.records - demo.records - second.records).toBe(0);
  });

  it('shows no cell a small merchant in it could take its own sales from to learn the rest', async () => {
    // 2014-08, lights: nine customers at one merchant and one at another: ten people, no merchant with ten.
    const others = (await t.sql`SELECT id FROM merchants.merchants WHERE id <> ${DEMO_MERCHANT_ID} ORDER BY id LIMIT 2`).map((r) => r['id'] as string);
    for (const [merchantId, people, grams] of [[others[0]!, 9, 1000], [others[1]!, 1, 654_321]] as const) {
      for (let i = 0; i < people; i++) {
        await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams, green_points, occurred_at, recorded_at)
          VALUES (${randomUUID()}, ${`test:${randomUUID()}`}, ${randomUUID()}, ${merchantId}, 'TEST-SKU', 'LED_LIGHTING', 1, ${grams}, 0, 0, 5, '2014-08-15T10:00:00Z', '2014-08-15T10:00:00Z')`;
      }
    }
    const platform = (await t.graphql(PLATFORM, { p: { month: '2014-08' } }, dashboard).expect(200)).body.data.platformGreenReport.totals;
    // Before, the cell of ten was shown: the first merchant, knowing its nine, had the other's one customer.
    expect(platform).toEqual({ records: 0, co2eGrams: 0 });
  });

  it("gives analysts' figures that differ from the reports by no small cell, and do not move with a purchase today", async () => {
    const ANALYTICS = `{ analytics { greenImpact { byMonth { month suppressed records co2eGrams } byCategory { category records co2eGrams } } } }`;
    // 2014-09: sixty customers of lights, and one alone in water-saving goods.
    await addRecords('2014-09-10T10:00:00Z', 'LED_LIGHTING', 60);
    await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams, green_points, occurred_at, recorded_at)
      VALUES (${randomUUID()}, ${`test:${randomUUID()}`}, ${randomUUID()}, ${DEMO_MERCHANT_ID}, 'TEST-SKU', 'WATER_SAVING', 1, 424242, 0, 0, 5, '2014-09-11T10:00:00Z', '2014-09-11T10:00:00Z')`;
    const report = (await t.graphql(PLATFORM, { p: { month: '2014-09' } }, dashboard).expect(200)).body.data.platformGreenReport.totals;
    expect(report).toEqual({ records: 60, co2eGrams: 60_000 });
    const analytics = async () => {
      const body = (await t.graphql(ANALYTICS, {}, dashboard).expect(200)).body;
      expect(body.errors).toBeUndefined();
      return body.data.analytics.greenImpact as { byMonth: { month: string; records: number | null; co2eGrams: number | null }[]; byCategory: unknown[] };
    };
    const before = await analytics();
    // Before, the month counted every cell: minus the report, the lone customer's 424,242 g.
    expect(before.byMonth.find((m) => m.month === '2014-09')).toMatchObject({ records: 60, co2eGrams: 60_000 });
    // A purchase today is in no published month, so the same figures come back.
    await addRecords(new Date().toISOString(), 'LED_LIGHTING', 1);
    expect(await analytics()).toEqual(before);
  });

  it("still shows a consumer their own report for any window (it describes only them)", async () => {
    const token = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    const p = { from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:00:00.001Z' };
    const res = await t.graphql('query ($p: PeriodInput) { me { greenImpact(period: $p) { totals { records } } } }', { p }, token).expect(200);
    expect(res.body.errors).toBeUndefined();
  });

  it('serves the default platform report over the seeded year', async () => {
    const res = await t.graphql(PLATFORM, {}, dashboard).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.platformGreenReport.totals.records).toBeGreaterThan(0);
  });
});

describe('report periods', () => {
  const bad: [string, Record<string, string>][] = [
    ['a year-275760 end', { from: '2025-01-01T00:00:00Z', to: '+275760-09-13T00:00:00Z' }],
    ['a six-digit year', { from: '2025-01-01T00:00:00Z', to: '275760-01-01T00:00:00Z' }],
    ['a start before 2000', { from: '1970-01-01T00:00:00Z', to: '2001-01-01T00:00:00Z' }],
    ['an end before the start', { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }],
    ['a window longer than five years', { from: '2015-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }],
    ['an impossible date', { from: '2026-02-30T00:00:00Z', to: '2026-03-01T00:00:00Z' }],
    ['a number', { from: '1', to: '2' }],
  ];
  for (const [what, p] of bad) {
    it(`refuses ${what} with BAD_USER_INPUT, as a variable and as a literal`, async () => {
      expect(codesOf((await t.graphql(PLATFORM, { p }, dashboard).expect(200)).body)).toEqual(expect.arrayContaining(['BAD_USER_INPUT']));
      const literal = `{ platformGreenReport(period: { from: ${JSON.stringify(p['from'])}, to: ${JSON.stringify(p['to'])} }) { totals { records } } }`;
      const codes = codesOf((await t.graphql(literal, {}, dashboard)).body);
      expect(codes.length).toBeGreaterThan(0);
      expect(new Set(codes)).toEqual(new Set(['BAD_USER_INPUT']));
    });
  }

  it('still answers afterwards', async () => {
    expect((await t.graphql('{ emissionFactors { key } }').expect(200)).body.errors).toBeUndefined();
  });
});
