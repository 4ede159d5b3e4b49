// Proves a new emission factor (and profile) version changes no impact record already written, and later purchases pin the new one.
import { randomUUID } from 'node:crypto';
import { drain, openConsumer, publish } from '@greenpoints/events';
import { ledgerOutbox } from '@greenpoints/db/schema/ledger';
import { openRelay } from '@greenpoints/events/relay/index';
import { greenImpactConsumer } from '@greenpoints/green-impact/consumers/index';
import { publishEmissionFactor } from '@greenpoints/green-impact/operations/publishEmissionFactor';
import { publishGreenProfile } from '@greenpoints/green-impact/operations/publishGreenProfile';
import { isAppError } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, silent, testDelivery, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.drop());

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
