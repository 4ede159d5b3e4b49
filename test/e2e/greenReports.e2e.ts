// Proves green reports through the gateway: a green purchase's points, records and report equal the figures computed by hand from the seeded factors, a refund takes them back, periods agree, totals past 2^31 arrive exactly, the platform equals the sum over users, and every figure links to its records and factors.
import { randomUUID } from 'node:crypto';
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptRecords } from '../helpers/greenCells.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const RECORD = `mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) { id greenPoints } }`;
const TOTALS = 'co2eGrams co2eKg waterLitres plasticGrams greenPoints records';
const REPORT = `query ($id: ID!, $period: PeriodInput) { user(id: $id) { greenImpact(period: $period) {
  totals { ${TOTALS} } byCategory { category totals { co2eGrams } factors { key version } } monthly { month totals { co2eGrams records } }
  equivalents { treeYears items { key value label(lang: ZH) basis factors { key source } } }
  factors { key version value source sourceUrl }
  rank { percentile members }
  records(first: 100) { edges { node { source sourceRef category quantity co2eGrams waterLitres greenPoints profileVersion factors { key version } } } }
} } }`;

let t: TestStack;
let admin: string;
let appliances: { id: string; token: string };
let userId: string;
const month = new Date().toISOString().slice(0, 7);

beforeAll(async () => {
  t = await startTestStack();
  admin = await t.token({ role: 'admin', sub: 'ops-1' });
  const [m] = await t.sql`SELECT id FROM merchants.merchants WHERE category = 'APPLIANCES'`;
  appliances = { id: m!['id'], token: await t.token({ role: 'merchant', merchantId: m!['id'] }) };
  // Someone with no green record this month, so the month's report is exactly what this file adds.
  const [u] = await t.sql`SELECT id FROM users.users u WHERE status = 'ACTIVE' AND NOT EXISTS (
    SELECT 1 FROM green.impact_records r WHERE r.user_id = u.id AND r.occurred_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') ORDER BY id LIMIT 1`;
  userId = u!['id'];
});
afterAll(() => t?.stop());

const report = async (id: string, period: Record<string, unknown> | null, token = admin) => {
  const res = await t.graphql(REPORT, { id, period }, token).expect(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.user.greenImpact;
};

describe('green reports', () => {
  it('turns a green purchase into green points, impact records and a report computed by hand from the seeded factors', async () => {
    const lines = [{ sku: 'APP-LED-9W', quantity: 2, unitPriceMinor: 1_290 }, { sku: 'APP-SHOWER-WS', quantity: 1, unitPriceMinor: 15_900 }];
    const res = await t.graphql(RECORD, { input: { userId, merchantId: appliances.id, amountMinor: 2 * 1_290 + 15_900, lines }, key: randomUUID() }, appliances.token).expect(200);
    expect(res.body.errors).toBeUndefined();
    // 20 green points per LED bulb and 80 per showerhead (their published profiles).
    expect(res.body.data.recordPurchase.greenPoints).toBe(2 * 20 + 80);

    // By hand: LED (60 − 9) W × 3 h × 365 = 55.845 kWh × 0.5366 kgCO2/kWh = 29.966 kg each;
    // showerhead 330 kWh × 0.5366 = 177.078 kg and 2,700 US gal = 10,221 L (EPA WaterSense).
    const co2e = 2 * 29_966 + 177_078;
    await expect.poll(async () => (await report(userId, { month })).totals.records, { timeout: 15_000 }).toBe(2);
    const r = await report(userId, { month }, await t.token({ role: 'consumer', sub: userId }));
    expect(r.totals).toEqual({ co2eGrams: co2e, co2eKg: 237.01, waterLitres: 10_221, plasticGrams: 0, greenPoints: 120, records: 2 });
    expect(r.byCategory).toEqual([
      { category: 'LED_LIGHTING', totals: { co2eGrams: 59_932 }, factors: [{ key: 'grid_cn', version: 2022 }] },
      { category: 'WATER_SAVING', totals: { co2eGrams: 177_078 }, factors: [{ key: 'grid_cn', version: 2022 }] },
    ]);
    expect(r.monthly).toEqual([{ month, totals: { co2eGrams: co2e, records: 2 } }]);
    // 237.01 kg ÷ 6 kg a tree-year (EPA: 0.060 t per seedling over 10 years); ÷ 0.5366 kgCO2/kWh; 10,221 L ÷ 10,221 L a family-year.
    const items = Object.fromEntries(r.equivalents.items.map((e: { key: string; value: number }) => [e.key, e.value]));
    expect(items).toEqual({ TREE_YEARS: 39.5, TREE_SEEDLINGS_10YR: 3.95, GRID_KWH: 441.69, SHOWERHEAD_FAMILY_YEARS: 1 });
    expect(r.equivalents.treeYears).toBe(39.5);
    for (const e of r.equivalents.items) expect(e.factors[0].source.length, e.key).toBeGreaterThan(10);
    // The factors its records pinned, and the yardsticks its equivalents convert with besides.
    expect(r.factors).toEqual([
      expect.objectContaining({ key: 'grid_cn', version: 2022, value: '0.5366', sourceUrl: expect.stringMatching(/^https:/) }),
      expect.objectContaining({ key: 'urban_tree_seedling_10yr', version: 1, value: '0.06' }),
      expect.objectContaining({ key: 'watersense_showerhead_water', version: 1, value: '2700' }),
    ]);

    // Each figure links to its records, and each record to the profile and factor versions it pinned.
    const records = r.records.edges.map((e: { node: unknown }) => e.node);
    expect(records).toHaveLength(2);
    expect(records.reduce((s: number, x: { co2eGrams: number }) => s + x.co2eGrams, 0)).toBe(co2e);
    expect(records.find((x: { category: string }) => x.category === 'LED_LIGHTING')).toMatchObject({
      source: 'PURCHASE_LINE', quantity: 2, co2eGrams: 59_932, greenPoints: 40, profileVersion: 1,
      factors: expect.arrayContaining([{ key: 'grid_cn', version: 2022 }, { key: 'lamp_800lm_led', version: 1 }, { key: 'lamp_800lm_incandescent', version: 1 }]),
    });
    expect(r.rank.percentile).toBeGreaterThan(0);
  });

  it('agrees across periods: a year is the sum of its quarters and of its months', async () => {
    const year = new Date().getUTCFullYear();
    const whole = (await report(DEMO_CONSUMER_ID, { year })).totals;
    const sum = (parts: { totals: Record<string, number> }[]) => ({
      co2eGrams: parts.reduce((s, p) => s + p.totals['co2eGrams']!, 0),
      records: parts.reduce((s, p) => s + p.totals['records']!, 0),
    });
    const quarters = await Promise.all([1, 2, 3, 4].map((q) => report(DEMO_CONSUMER_ID, { quarter: `${year}-Q${q}` })));
    expect(sum(quarters)).toEqual({ co2eGrams: whole.co2eGrams, records: whole.records });
    const months = (await report(DEMO_CONSUMER_ID, { year })).monthly;
    expect(months).toHaveLength(12);
    expect(sum(months)).toEqual({ co2eGrams: whole.co2eGrams, records: whole.records });
    const custom = (await report(DEMO_CONSUMER_ID, { from: `${year}-01-01T00:00:00Z`, to: `${year + 1}-01-01T00:00:00Z` })).totals;
    expect(custom).toEqual(whole);
    const bad = await t.graphql(REPORT, { id: DEMO_CONSUMER_ID, period: { month: `${year}-13` } }, admin);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('ranks a member among members by the share who did less, over the whole UTC days of the period', async () => {
    const period = { from: new Date(Date.now() - 365 * 86_400_000).toISOString(), to: new Date().toISOString() };
    const r = await report(DEMO_CONSUMER_ID, period);
    const days = { from: `${period.from.slice(0, 10)}T00:00:00Z`, to: new Date(Date.parse(`${period.to.slice(0, 10)}T00:00:00Z`) + 86_400_000).toISOString() };
    const [row] = await t.sql`
      WITH totals AS (SELECT user_id, sum(co2e_grams) AS v FROM green.impact_records WHERE occurred_at >= ${days.from} AND occurred_at < ${days.to} GROUP BY 1),
      members AS (SELECT DISTINCT user_id FROM green.impact_records)
      SELECT count(*)::int AS members, (count(*) FILTER (WHERE coalesce(t.v, 0) < (SELECT coalesce(v, 0) FROM totals WHERE user_id = ${DEMO_CONSUMER_ID})))::int AS below
      FROM members m LEFT JOIN totals t ON t.user_id = m.user_id`;
    expect(r.rank).toEqual({ members: row!['members'], percentile: Math.round((1000 * row!['below']) / row!['members']) / 10 });
  });

  it("makes the users' reports, fetched in batches, sum to every record, and the platform's to the cells of k people or more", async () => {
    // Twelve published UTC months (a month is published a day after it ends), asked of every report.
    const now = new Date(Date.now() - 86_400_000);
    const [from, to] = [new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1)), new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))];
    const p = { from: from.toISOString(), to: to.toISOString() };
    const platform = (await t.graphql(`query ($p: PeriodInput) { platformGreenReport(period: $p) { totals { ${TOTALS} } } }`, { p }, admin).expect(200)).body.data.platformGreenReport.totals;
    const users = (await t.sql`SELECT DISTINCT user_id FROM green.impact_records`).map((u) => u['user_id'] as string);
    const sum = { co2eGrams: 0, waterLitres: 0, plasticGrams: 0, greenPoints: 0, records: 0 };
    for (let i = 0; i < users.length; i += 25) {
      const batch = users.slice(i, i + 25);
      const query = `query ($p: PeriodInput) { ${batch.map((id, j) => `u${j}: user(id: "${id}") { greenImpact(period: $p) { totals { ${TOTALS} } } }`).join(' ')} }`;
      const res = await t.graphql(query, { p }, admin).expect(200);
      expect(res.body.errors).toBeUndefined();
      for (const u of Object.values(res.body.data) as { greenImpact: { totals: typeof sum } }[]) {
        for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += u.greenImpact.totals[k];
      }
    }
    expect(sum.records).toBeGreaterThan(100);
    // A member's report counts a record when it happened; the platform's, when it was recorded, in
    // month × category cells of at least k (10) people, and where a cell's rest beyond its merchants'
    // cells of k or more is 1 to k-1 people, those merchants' part only.
    const sums = (at: 'occurred_at' | 'recorded_at', k: number) => t.sql`
      ${keptRecords(t.sql, { at, from, to, k })}
      SELECT sum(co2e_grams)::float8 AS "co2eGrams", sum(water_litres)::float8 AS "waterLitres", sum(plastic_grams)::float8 AS "plasticGrams",
             sum(green_points)::float8 AS "greenPoints", count(*)::int AS records FROM kept`;
    const [all] = await sums('occurred_at', 1);
    expect(sum).toMatchObject({ ...all });
    const [published] = await sums('recorded_at', 10);
    expect(platform).toMatchObject({ ...published });
    expect(platform.records).toBeGreaterThan(0);
  });

  it('takes a refund back through the gateway: green points, impact records and the report', async () => {
    const [u] = await t.sql`SELECT id FROM users.users u WHERE status = 'ACTIVE' AND id <> ${userId} AND NOT EXISTS (
      SELECT 1 FROM green.impact_records r WHERE r.user_id = u.id AND r.occurred_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') ORDER BY id LIMIT 1`;
    const buyer = u!['id'] as string;
    const consumer = await t.token({ role: 'consumer', sub: buyer });
    const greenBalance = async () =>
      (await t.graphql('{ me { points { balance(asset: GREEN_POINTS) } } }', {}, consumer).expect(200)).body.data.me.points.balance as number;
    const before = await greenBalance();
    const lines = [{ sku: 'APP-LED-9W', quantity: 3, unitPriceMinor: 1_290 }, { sku: 'APP-SHOWER-WS', quantity: 1, unitPriceMinor: 15_900 }];
    const bought = await t.graphql(RECORD, { input: { userId: buyer, merchantId: appliances.id, amountMinor: 3 * 1_290 + 15_900, lines }, key: randomUUID() }, appliances.token).expect(200);
    expect(bought.body.errors).toBeUndefined();
    const purchaseId = bought.body.data.recordPurchase.id as string;
    await expect.poll(async () => (await report(buyer, { month })).totals.greenPoints, { timeout: 15_000 }).toBe(3 * 20 + 80);
    // Green points stay pending through the return window: the balance counts them once available, so compare what the ledger holds.
    const held = async () => Number((await t.sql`SELECT coalesce(sum(l.remaining), 0)::int AS n FROM ledger.lots l JOIN ledger.accounts a ON a.id = l.account_id
      WHERE a.kind = 'USER' AND a.owner_id = ${buyer} AND a.asset = 'GREEN_POINTS'`)[0]!['n']);
    const heldBefore = await held();

    const REFUND = `mutation ($p: ID!, $lines: [RefundLineInput!], $key: ID!) { refundPurchase(purchaseId: $p, lines: $lines, idempotencyKey: $key) { id greenPoints } }`;
    // Two of the three bulbs come back: 2 × 29,966 g and 2 × 20 green points are reversed, the showerhead stays.
    const part = await t.graphql(REFUND, { p: purchaseId, lines: [{ sku: 'APP-LED-9W', quantity: 2 }], key: randomUUID() }, appliances.token).expect(200);
    expect(part.body.errors).toBeUndefined();
    await expect.poll(async () => (await report(buyer, { month })).totals.greenPoints, { timeout: 15_000 }).toBe(20 + 80);
    let r = await report(buyer, { month }, consumer);
    expect(r.totals).toMatchObject({ co2eGrams: 29_966 + 177_078, waterLitres: 10_221, greenPoints: 100 });
    // The original records stay; the refund adds reversing ones, which the report's records list shows.
    const ledSum = r.records.edges
      .map((e: { node: { category: string; co2eGrams: number } }) => e.node)
      .filter((x: { category: string }) => x.category === 'LED_LIGHTING')
      .reduce((s: number, x: { co2eGrams: number }) => s + x.co2eGrams, 0);
    expect(ledSum).toBe(29_966);
    expect(await held()).toBe(heldBefore - 40);

    // The rest of the purchase: nothing green is left of it.
    const full = await t.graphql('mutation ($p: ID!, $key: ID!) { refundPurchase(purchaseId: $p, idempotencyKey: $key) { id } }', { p: purchaseId, key: randomUUID() }, appliances.token).expect(200);
    expect(full.body.errors).toBeUndefined();
    await expect.poll(async () => (await report(buyer, { month })).totals.greenPoints, { timeout: 15_000 }).toBe(0);
    r = await report(buyer, { month }, consumer);
    expect(r.totals).toMatchObject({ co2eGrams: 0, waterLitres: 0, plasticGrams: 0, greenPoints: 0 });
    expect(await held()).toBe(heldBefore - 140);
    expect(await greenBalance()).toBe(before);
  });

  it('keeps records and ranks out of aggregate reports', async () => {
    const res = await t.graphql('{ platformGreenReport { totals { records } rank { percentile } records(first: 1) { edges { cursor } } } }', {}, admin).expect(200);
    expect(res.body.data.platformGreenReport.rank).toBeNull();
    expect(res.body.data.platformGreenReport.records).toBeNull();
  });

  it('sends totals past 2^31 (GraphQL Int) exactly, for the alliance and for one member', async () => {
    // A year nothing else touches: one member with two records of 1.5 billion grams, and nine more
    // members (the report needs ten) with 100 million each. The alliance's CO2e passed 2^31 at
    // 20,000 members, and a 32-bit Int turned the whole report into an internal error.
    const members = (await t.sql`SELECT id FROM users.users WHERE status = 'ACTIVE' ORDER BY id LIMIT 10`).map((u) => u['id'] as string);
    const rows = [
      ...[1, 2].map((day) => ({ user: members[0]!, amount: 1_500_000_000, day })),
      ...members.slice(1).map((user) => ({ user, amount: 100_000_000, day: 3 })),
    ];
    for (const [i, r] of rows.entries()) {
      await t.sql`INSERT INTO green.impact_records (id, source_ref, user_id, category, quantity, co2e_grams, water_litres, plastic_grams, green_points, occurred_at, recorded_at)
        VALUES (${randomUUID()}, ${`test:big:${i}`}, ${r.user}, 'ENERGY_EFFICIENT_APPLIANCE', 1, ${r.amount}, ${r.amount}, ${r.amount}, ${r.amount}, ${new Date(Date.UTC(2001, 5, r.day))}, ${new Date(Date.UTC(2001, 5, r.day))})`;
    }
    const total = 3_900_000_000;
    const res = await t.graphql(`{ platformGreenReport(period: { year: 2001 }) { totals { ${TOTALS} } monthly { month totals { co2eGrams } } } }`, {}, admin).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.platformGreenReport.totals).toMatchObject({ co2eGrams: total, waterLitres: total, plasticGrams: total, greenPoints: total, records: 11 });
    expect(res.body.data.platformGreenReport.monthly).toEqual([{ month: '2001-06', totals: { co2eGrams: total } }]);
    expect((await report(members[0]!, { year: 2001 })).totals.co2eGrams).toBe(3_000_000_000);
  });
});
