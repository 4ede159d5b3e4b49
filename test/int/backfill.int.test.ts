// Proves a database from before events existed gets its read models from a one-off backfill equal to those a seeded one builds.
import { DEFAULT_DELIVERY } from '@greenpoints/events';
import { backfillEvents, needsBackfill } from '@greenpoints/stack/seed/backfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.drop());

const readModels = async () => ({
  users: [...(await t.sql`SELECT user_id, status, household_id FROM ledger.user_copies ORDER BY user_id`)],
  merchants: [...(await t.sql`SELECT merchant_id, status, settlement_minor_per_100_points FROM ledger.merchant_copies ORDER BY merchant_id`)],
  rules: [...(await t.sql`SELECT * FROM ledger.earn_rules ORDER BY merchant_id, version`)],
  products: [...(await t.sql`SELECT * FROM ledger.product_copies ORDER BY sku`)],
  green: [...(await t.sql`SELECT sku, version, green_points_per_unit FROM ledger.green_sku_versions ORDER BY sku`)],
});

describe('backfill of an older database', () => {
  it('publishes what each subgraph holds once and rebuilds the read models', async () => {
    const seeded = await readModels();
    expect(await needsBackfill(t.handle.db)).toBe(false);
    // What a database migrated from before events looks like: no events, no read models, no profile versions.
    await t.sql`TRUNCATE users.outbox, merchants.outbox, green.outbox, ledger.inbox, ledger.processed_events,
      ledger.user_copies, ledger.merchant_copies, ledger.earn_rules, ledger.product_copies, ledger.green_sku_versions, green.green_profile_versions`;
    expect(await needsBackfill(t.handle.db)).toBe(true);

    expect(await backfillEvents(t.handle.db, DEFAULT_DELIVERY)).toBeGreaterThan(300);
    expect(await needsBackfill(t.handle.db)).toBe(false);
    const rebuilt = await readModels();
    expect(rebuilt.users).toEqual(seeded.users);
    expect(rebuilt.merchants).toEqual(seeded.merchants);
    expect(rebuilt.rules).toEqual(seeded.rules);
    expect(rebuilt.products).toEqual(seeded.products);
    expect(rebuilt.green).toEqual(seeded.green);
  });
});
