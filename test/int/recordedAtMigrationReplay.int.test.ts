// Proves migration 0024's backfill gives a record the time of the event it came from, as a replay does, so a purchase backdated before the migration stays, after a rebuild by replay, in the month it was counted in.
import { readFileSync } from 'node:fs';
import { ledgerOutbox } from '@greenpoints/db/schema/ledger';
import { randomUUID } from 'node:crypto';
import { drain, openConsumer, publish } from '@greenpoints/events';
import { replay } from '@greenpoints/events/ops/replay';
import { openRelay } from '@greenpoints/events/relay/index';
import { greenImpactConsumer } from '@greenpoints/green-impact/consumers/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, silent, testDelivery, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.drop());

async function deliver() {
  const delivery = testDelivery({ batchSize: 500 });
  const workers = [await openRelay(t.handle.db, delivery), await openConsumer(t.handle.db, greenImpactConsumer, delivery, silent)];
  for (const w of workers) await drain(w);
  for (const w of workers) await w.close();
}

/** What migration 0024 does to the records already there: its backfill and its rebuild of the rollups, statement for statement. */
async function applyMigration0024Backfill() {
  const statements = readFileSync(new URL('../../db/migrations/0024_impact_recorded_at.sql', import.meta.url), 'utf8')
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter((s) => !/ADD COLUMN|SET NOT NULL|CREATE INDEX|CREATE OR REPLACE FUNCTION/.test(s));
  for (const s of statements) await t.sql.unsafe(s);
}

/** The platform's rollup for one UTC month (what platformGreenReport sums). */
const platformMonth = async (month: string) =>
  (await t.sql`SELECT coalesce(sum(co2e_grams), 0)::bigint AS co2e, coalesce(sum(records), 0)::int AS records FROM green.impact_daily
     WHERE owner = 'platform' AND to_char(day, 'YYYY-MM') = ${month}`)[0] as unknown as { co2e: string; records: number };

describe('recorded_at after migration 0024 and a replay', () => {
  it('keeps a backdated purchase from before the migration in the month it was counted in', async () => {
    const [row] = await t.sql`SELECT user_id, merchant_id FROM green.impact_records WHERE sku = 'APP-LED-9W' LIMIT 1`;
    const purchaseId = randomUUID();
    // Recorded by the ledger on 2025-03-03, dated 2025-02-20 (within the purchase window): before 0024.
    await t.handle.db.transaction((tx) =>
      publish(tx, ledgerOutbox, 'PurchaseRecorded', {
        purchaseId, userId: row!['user_id'], merchantId: row!['merchant_id'], occurredAt: '2025-02-20T10:00:00.000Z', amountMinor: 5 * 1_290, points: 5, greenPoints: 100,
        lines: [{ sku: 'APP-LED-9W', quantity: 5, unitPriceMinor: 1_290, greenPoints: 100 }],
      } as never, new Date('2025-03-03T10:00:00.000Z')),
    );
    await deliver();
    // The records that existed when 0024 ran get the time of their event from the inbox (March, not
    // the February it is dated), the rollups rebuilt on it.
    await applyMigration0024Backfill();
    const recordedAt = async () => (await t.sql`SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM') AS m FROM green.impact_records WHERE source_ref LIKE ${`purchase:${purchaseId}:%`}`).map((r) => r['m']);
    expect(await recordedAt()).toEqual(['2025-03']);
    const published = { february: await platformMonth('2025-02'), march: await platformMonth('2025-03') };

    // A rebuild by replay, as the README documents (truncate, replay the streams).
    await t.sql`TRUNCATE green.impact_records`;
    await replay(t.handle.db, 'green-impact', 0);
    await deliver();

    // Published since April 2025, these months must come back as they were.
    expect({ february: await platformMonth('2025-02'), march: await platformMonth('2025-03') }).toEqual(published);
    expect(await recordedAt()).toEqual(['2025-03']);
  });
});
