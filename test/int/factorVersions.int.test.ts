// Proves a new emission factor (and profile) version changes no impact record already written, and later purchases pin the new one, and that a past report's equivalents keep converting with the grid factor version its records pinned and list every version they use.
import { randomUUID } from 'node:crypto';
import { drain, openConsumer, publish } from '@greenpoints/events';
import { ledgerOutbox } from '@greenpoints/db/schema/ledger';
import { openRelay } from '@greenpoints/events/relay/index';
import { greenImpactConsumer } from '@greenpoints/green-impact/consumers/index';
import { publishEmissionFactor } from '@greenpoints/green-impact/operations/publishEmissionFactor';
import { publishGreenProfile } from '@greenpoints/green-impact/operations/publishGreenProfile';
import { createServer } from '@greenpoints/green-impact/server';
import { createLogger, isAppError, listen, signRequest, type Listening } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, silent, testDelivery, type FreshDb } from '../helpers/eventsDb.ts';
import { secrets } from '../helpers/stack.ts';

let t: FreshDb;
let server: ReturnType<typeof createServer>;
let listening: Listening;
beforeAll(async () => {
  t = await freshDatabase();
  server = createServer({ db: t.handle.db, logger: createLogger('silent'), signingSecret: secrets.signingSecret });
  await server.start();
  listening = await listen(server.handler, 0);
});
afterAll(async () => {
  await listening?.close();
  await server?.stop();
  await t?.drop();
});

const REPORT = 'totals { co2eGrams } equivalents { treeYears treeFactor { version } items { key value basis factors { key version } } } factors { key version }';

/** A user's and the platform's green reports over a period, asked of green-impact as an admin (signed, as the gateway does). */
async function reports(userId: string, period: { from: string; to: string }) {
  const query = `query ($r: [_Any!]!, $p: PeriodInput) {
    _entities(representations: $r) { ... on User { greenImpact(period: $p) { ${REPORT} } } }
    platformGreenReport(period: $p) { ${REPORT} } }`;
  const body = JSON.stringify({ query, variables: { r: [{ __typename: 'User', id: userId }], p: period } });
  const headers = signRequest({ principal: { role: 'admin', sub: 'ops-1', scopes: [] }, subgraph: 'green-impact', body }, secrets.signingSecret);
  const res = await fetch(listening.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await res.json()) as { data: { _entities: { greenImpact: Report }[]; platformGreenReport: Report }; errors?: unknown[] };
  expect(json.errors).toBeUndefined();
  return { user: json.data._entities[0]!.greenImpact, platform: json.data.platformGreenReport };
}
interface Report {
  totals: { co2eGrams: number };
  equivalents: { items: { key: string; value: number; basis: string; factors: { key: string; version: number }[] }[] };
  factors: { key: string; version: number }[];
}
const gridKwh = (r: Report) => r.equivalents.items.find((e) => e.key === 'GRID_KWH')!;

const RECORDS = 'SELECT * FROM green.impact_records ORDER BY source_ref';

async function deliver() {
  const delivery = testDelivery({ batchSize: 500 });
  const workers = [await openRelay(t.handle.db, delivery), await openConsumer(t.handle.db, greenImpactConsumer, delivery, silent)];
  for (const w of workers) await drain(w);
  for (const w of workers) await w.close();
}

/** A PurchaseRecorded as the ledger writes it, for one LED bulb line. */
async function purchaseLed(userId: string, merchantId: string, occurredAt: Date) {
  const purchaseId = randomUUID();
  await t.handle.db.transaction((tx) =>
    publish(tx, ledgerOutbox, 'PurchaseRecorded', {
      purchaseId, userId, merchantId, occurredAt: occurredAt.toISOString(), amountMinor: 1_290, points: 12, greenPoints: 20,
      lines: [{ sku: 'APP-LED-9W', quantity: 1, unitPriceMinor: 1_290, greenPoints: 20 }],
    }),
  );
  return purchaseId;
}

describe('factor versions', () => {
  it('refuses a factor without a public source, in code and in Postgres', async () => {
    const unsourced = { key: 'test_unsourced', version: 1, name: 'No source', value: '1', unit: 'kg', source: '', sourceUrl: null, year: 2024, publishedOn: null };
    await expect(publishEmissionFactor(t.handle.db, unsourced)).rejects.toSatisfy((e) => isAppError(e) && e.code === 'BAD_USER_INPUT');
    await expect(t.sql`INSERT INTO green.emission_factors (key, version, name, value, unit, source, year) VALUES ('x', 1, 'x', 1, 'kg', '', 2024)`).rejects.toThrow(/emission_factors_source_check/);
    expect(await t.sql`SELECT 1 FROM green.emission_factors WHERE source = ''`).toHaveLength(0);
  });

  it('keeps a past report converting to grid kWh with the factor version its records pinned when a newer one is published', async () => {
    // Whole UTC days from 360 to 30 days ago: seeded records, every one pinned to grid_cn@2022.
    const day = (daysAgo: number) => `${new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`;
    const period = { from: day(360), to: day(30) };
    const [busiest] = await t.sql`SELECT user_id FROM green.impact_records WHERE occurred_at >= ${period.from} AND occurred_at < ${period.to}
      GROUP BY 1 ORDER BY sum(co2e_grams) DESC LIMIT 1`;
    expect(await t.sql`SELECT DISTINCT factor_version FROM green.impact_records WHERE factor_key = 'grid_cn'`).toEqual([{ factor_version: 2022 }]);
    const before = await reports(busiest!['user_id'], period);
    for (const r of [before.user, before.platform]) {
      expect(r.totals.co2eGrams).toBeGreaterThan(0);
      expect(gridKwh(r)).toMatchObject({ value: Math.round((r.totals.co2eGrams / 1000 / 0.5366) * 100) / 100, factors: [{ key: 'grid_cn', version: 2022 }] });
    }

    // Test data (not a published figure): a newer national grid factor, published after the records.
    await publishEmissionFactor(t.handle.db, {
      key: 'grid_cn', version: 2023, name: 'Test grid factor', value: '0.5', unit: 'kgCO2/kWh', source: 'Test fixture, not a published figure', sourceUrl: null, year: 2023, publishedOn: null,
    });
    const after = await reports(busiest!['user_id'], period);
    // Converted with 2023 they would read co2e ÷ 0.5: the newest factor rewrote every past report.
    expect(gridKwh(after.user)).toEqual(gridKwh(before.user));
    expect(gridKwh(after.platform)).toEqual(gridKwh(before.platform));
    expect(after).toEqual(before);
    // The report names every version its figures rest on: the one its records pinned (and its kWh
    // uses), the tree and showerhead yardsticks of the other equivalents; never the unused 2023.
    for (const r of [after.user, after.platform]) {
      expect(r.factors).toEqual(expect.arrayContaining([
        { key: 'grid_cn', version: 2022 }, { key: 'urban_tree_seedling_10yr', version: 1 }, { key: 'watersense_showerhead_water', version: 1 },
      ]));
      expect(r.factors).not.toContainEqual({ key: 'grid_cn', version: 2023 });
      for (const e of r.equivalents.items) for (const f of e.factors) expect(r.factors, e.key).toContainEqual(f);
    }
  });

  it('leaves every past record as it was when a new factor and profile version are published', async () => {
    const [row] = await t.sql`SELECT user_id, merchant_id FROM green.impact_records WHERE sku = 'APP-LED-9W' LIMIT 1`;
    const before = [...(await t.sql.unsafe(RECORDS))];
    expect(before.length).toBeGreaterThan(10);
    const earlier = await purchaseLed(row!['user_id'], row!['merchant_id'], new Date(Date.now() - 60_000));
    await deliver();

    // Test data (not a published figure): a later grid factor version and a profile version resting on it.
    await publishEmissionFactor(t.handle.db, {
      key: 'grid_cn', version: 2099, name: 'Test grid factor', value: '0.5', unit: 'kgCO2/kWh', source: 'Test fixture, not a published figure', sourceUrl: null, year: 2099, publishedOn: null,
    });
    await publishGreenProfile(t.handle.db, {
      sku: 'APP-LED-9W', category: 'LED_LIGHTING', certification: null, co2eGramsPerUnit: 27_922, waterLitresPerUnit: 0, plasticGramsPerUnit: 0,
      greenPointsPerUnit: 20, basis: 'test: 55.845 kWh × 0.5', factorKey: 'grid_cn', factorVersion: 2099, factors: [],
    });
    const later = await purchaseLed(row!['user_id'], row!['merchant_id'], new Date(Date.now() + 1_000));
    await deliver();

    const after = [...(await t.sql.unsafe(RECORDS))];
    for (const r of [...before, ...(await t.sql`SELECT * FROM green.impact_records WHERE source_ref = ${`purchase:${earlier}:1`}`)]) {
      expect(after).toContainEqual(r);
    }
    const [old] = await t.sql`SELECT co2e_grams, factor_version, profile_version FROM green.impact_records WHERE source_ref = ${`purchase:${earlier}:1`}`;
    const [fresh] = await t.sql`SELECT co2e_grams, factor_version, profile_version FROM green.impact_records WHERE source_ref = ${`purchase:${later}:1`}`;
    expect(old).toEqual({ co2e_grams: '29966', factor_version: 2022, profile_version: 1 });
    expect(fresh).toEqual({ co2e_grams: '27922', factor_version: 2099, profile_version: 2 });
  });
});
