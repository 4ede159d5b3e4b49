// Proves a read model rebuilt from zero by replaying the streams equals the one kept live from events.
import { drain, openConsumer } from '@greenpoints/events';
import { replay } from '@greenpoints/events/ops/replay';
import { openRelay } from '@greenpoints/events/relay/index';
import { publishGreenProfile } from '@greenpoints/green-impact/operations/publishGreenProfile';
import { greenImpactConsumer } from '@greenpoints/green-impact/consumers/index';
import { ledgerConsumer } from '@greenpoints/ledger/consumers/index';
import { publishEarnRule } from '@greenpoints/merchants/operations/catalogPublishing';
import { changeMerchantStatus } from '@greenpoints/merchants/operations/merchantLifecycle';
import { leaveHousehold } from '@greenpoints/users/operations/households';
import { changeUserStatus, deleteUser } from '@greenpoints/users/operations/userLifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, silent, testDelivery, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.drop());

const READ_MODELS = {
  user_copies: 'SELECT user_id, status, household_id, age_band, position FROM ledger.user_copies ORDER BY user_id',
  merchant_copies: 'SELECT merchant_id, status, settlement_minor_per_100_points, position FROM ledger.merchant_copies ORDER BY merchant_id',
  earn_rules: 'SELECT * FROM ledger.earn_rules ORDER BY merchant_id, version',
  green_sku_versions: 'SELECT * FROM ledger.green_sku_versions ORDER BY sku, version',
  product_copies: 'SELECT * FROM ledger.product_copies ORDER BY sku',
};
// Every column of an impact record, its id included (derived from its source ref), comes from its event.
const IMPACT = `SELECT id, source_ref, profile_version, reverses_id, user_id, merchant_id, sku, category, quantity, co2e_grams, water_litres, plastic_grams,
  green_points, factor_key, factor_version, occurred_at FROM green.impact_records ORDER BY source_ref`;

async function snapshot() {
  const out: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(READ_MODELS)) out[name] = [...(await t.sql.unsafe(query))];
  out['impact_records'] = [...(await t.sql.unsafe(IMPACT))];
  return out;
}

async function deliverAll() {
  const delivery = testDelivery({ batchSize: 500 });
  const workers = [await openRelay(t.handle.db, delivery), await openConsumer(t.handle.db, ledgerConsumer, delivery, silent), await openConsumer(t.handle.db, greenImpactConsumer, delivery, silent)];
  for (const w of workers) await drain(w);
  for (const w of workers) await w.close();
}

describe('replay', () => {
  it('rebuilds the ledger read models and the impact records from zero, equal to the live ones', async () => {
    // Live changes on top of the seed, each with its event, so the streams hold more than registrations.
    const [frozen, erased, leaver] = await t.sql`SELECT id FROM users.users WHERE household_id IS NOT NULL ORDER BY id LIMIT 3`;
    const [merchant] = await t.sql`SELECT id FROM merchants.merchants ORDER BY id LIMIT 1`;
    await changeUserStatus(t.handle.db, frozen!['id'], 'FROZEN');
    await deleteUser(t.handle.db, erased!['id']);
    await leaveHousehold(t.handle.db, leaver!['id']);
    await changeMerchantStatus(t.handle.db, merchant!['id'], 'SUSPENDED');
    await publishEarnRule(t.handle.db, merchant!['id'], { pointsPerYuan: 3, pendingDays: 2, perOrderCap: null, effectiveFrom: new Date(Date.now() + 60_000) });
    // A new profile version, in force from now: replayed purchases from before it must still use the
    // version (and factor) in force when they happened, and green points from their events.
    const [profile] = await t.sql`SELECT * FROM green.green_profiles ORDER BY sku LIMIT 1`;
    await publishGreenProfile(t.handle.db, {
      sku: profile!['sku'], category: profile!['category'], certification: null, co2eGramsPerUnit: 1, waterLitresPerUnit: 0,
      plasticGramsPerUnit: 0, greenPointsPerUnit: 99, basis: 'test v2', factorKey: null, factorVersion: null, factors: [],
    });
    await deliverAll();
    const live = await snapshot();
    expect(live['user_copies']!.length).toBeGreaterThan(250);
    expect(live['impact_records']!.length).toBeGreaterThan(10);
    expect(live['user_copies']).toContainEqual(expect.objectContaining({ user_id: erased!['id'], status: 'ERASED', household_id: null }));

    await t.sql`TRUNCATE ledger.user_copies, ledger.merchant_copies, ledger.earn_rules, ledger.green_sku_versions, ledger.product_copies, green.impact_records`;
    expect((await snapshot())['user_copies']).toEqual([]);
    const requeued = (await replay(t.handle.db, 'ledger', 0)) + (await replay(t.handle.db, 'green-impact', 0));
    expect(requeued).toBeGreaterThan(live['user_copies']!.length);
    await deliverAll();

    expect(await snapshot()).toEqual(live);
    // Replaying brings back no age band the deletion erased, in the outbox or the ledger's inbox.
    const kept = await t.sql`SELECT 1 FROM users.outbox WHERE aggregate = ${`user:${erased!['id']}`} AND payload ? 'ageBand'
      UNION ALL SELECT 1 FROM ledger.inbox WHERE aggregate = ${`user:${erased!['id']}`} AND payload ? 'ageBand'`;
    expect(kept).toEqual([]);
  });

  it('replays from a position only what follows it, leaving earlier events applied once', async () => {
    const [last] = await t.sql`SELECT max(position)::int AS p FROM users.outbox`;
    const n = await replay(t.handle.db, 'ledger', last!['p'], 'users');
    expect(n).toBe(1);
    const [row] = await t.sql`SELECT count(*)::int AS n FROM ledger.inbox WHERE status = 'PENDING'`;
    expect(row!['n']).toBe(1);
  });
});
