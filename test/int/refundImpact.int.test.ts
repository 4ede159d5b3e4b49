// Proves a refund (full or by lines) reverses exactly the refunded impact with new records, never deleting, and that replaying the streams into emptied records gives the same rows.
import { randomUUID } from 'node:crypto';
import { ledgerOutbox } from '@greenpoints/db/schema/ledger';
import { drain, openConsumer, publish } from '@greenpoints/events';
import { replay } from '@greenpoints/events/ops/replay';
import { openRelay } from '@greenpoints/events/relay/index';
import { greenImpactConsumer } from '@greenpoints/green-impact/consumers/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, silent, testDelivery, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
let userId: string;
let merchantId: string;
beforeAll(async () => {
  t = await freshDatabase();
  const [row] = await t.sql`SELECT user_id, merchant_id FROM green.impact_records WHERE sku = 'APP-LED-9W' LIMIT 1`;
  userId = row!['user_id'];
  merchantId = row!['merchant_id'];
});
afterAll(() => t?.drop());

const ALL = 'SELECT * FROM green.impact_records ORDER BY source_ref';

async function deliver() {
  const delivery = testDelivery({ batchSize: 500 });
  const workers = [await openRelay(t.handle.db, delivery), await openConsumer(t.handle.db, greenImpactConsumer, delivery, silent)];
  for (const w of workers) await drain(w);
  for (const w of workers) await w.close();
}

const emit = (type: 'PurchaseRecorded' | 'PurchaseRefunded', payload: never) =>
  t.handle.db.transaction((tx) => publish(tx, ledgerOutbox, type, payload));

/** Two LED bulbs, one aerator and one non-green line, as the ledger records them. */
async function purchase() {
  const purchaseId = randomUUID();
  await emit('PurchaseRecorded', {
    purchaseId, userId, merchantId, occurredAt: new Date(Date.now() - 86_400_000).toISOString(), amountMinor: 2 * 1_290 + 2_900 + 12_900, points: 50, greenPoints: 55,
    lines: [
      { sku: 'APP-LED-9W', quantity: 2, unitPriceMinor: 1_290, greenPoints: 40 },
      { sku: 'APP-KETTLE', quantity: 1, unitPriceMinor: 12_900, greenPoints: 0 },
      { sku: 'APP-AERATOR', quantity: 1, unitPriceMinor: 2_900, greenPoints: 15 },
    ],
  } as never);
  await deliver();
  return purchaseId;
}

const refund = (purchaseId: string, full: boolean, lines: { sku: string; quantity: number; greenPoints: number }[]) =>
  emit('PurchaseRefunded', {
    refundId: randomUUID(), purchaseId, userId, merchantId, occurredAt: new Date().toISOString(), amountMinor: 1_290, points: 1,
    greenPoints: lines.reduce((s, l) => s + l.greenPoints, 0), full, lines,
  } as never);

const recordsOf = async (purchaseId: string) =>
  t.sql`SELECT r.source_ref, r.quantity, r.co2e_grams::int AS co2e, r.water_litres::int AS water, r.green_points::int AS points, o.source_ref AS reverses
        FROM green.impact_records r LEFT JOIN green.impact_records o ON o.id = r.reverses_id
        WHERE r.source_ref LIKE ${`purchase:${purchaseId}:%`} OR o.source_ref LIKE ${`purchase:${purchaseId}:%`} ORDER BY r.source_ref`;

describe('refunds reverse impact records', () => {
  it('takes back one of two bulbs with a reversing record, leaving the original as it was', async () => {
    const purchaseId = await purchase();
    const original = [...(await t.sql`SELECT * FROM green.impact_records WHERE source_ref LIKE ${`purchase:${purchaseId}:%`} ORDER BY source_ref`)];
    expect(original.map((r) => r['source_ref'])).toEqual([`purchase:${purchaseId}:1`, `purchase:${purchaseId}:3`]);
    await refund(purchaseId, false, [{ sku: 'APP-LED-9W', quantity: 1, greenPoints: 20 }]);
    await deliver();
    const rows = await recordsOf(purchaseId);
    expect(rows.filter((r) => r['reverses'])).toEqual([
      expect.objectContaining({ quantity: -1, co2e: -29_966, water: 0, points: -20, reverses: `purchase:${purchaseId}:1` }),
    ]);
    expect([...(await t.sql`SELECT * FROM green.impact_records WHERE source_ref LIKE ${`purchase:${purchaseId}:%`} ORDER BY source_ref`)]).toEqual(original);

    // The rest, by a full refund: what is left of each line, and the purchase nets to zero.
    await refund(purchaseId, true, [{ sku: 'APP-LED-9W', quantity: 1, greenPoints: 20 }, { sku: 'APP-AERATOR', quantity: 1, greenPoints: 15 }]);
    await deliver();
    const all = await recordsOf(purchaseId);
    expect(all).toHaveLength(5);
    const sum = (col: string) => all.reduce((s, r) => s + Number(r[col]), 0);
    const net = { q: sum('quantity'), co2e: sum('co2e'), water: sum('water'), points: sum('points') };
    expect(net).toEqual({ q: 0, co2e: 0, water: 0, points: 0 });
  });

  it('never takes back more than was bought, whatever a refund says', async () => {
    const purchaseId = await purchase();
    await refund(purchaseId, false, [{ sku: 'APP-AERATOR', quantity: 5, greenPoints: 75 }]);
    await deliver();
    const reversed = (await recordsOf(purchaseId)).filter((r) => r['reverses']);
    expect(reversed).toEqual([expect.objectContaining({ quantity: -1, water: -4_836, points: -15 })]);
  });

  it('writes the very same records when the streams are replayed into emptied records', async () => {
    const live = [...(await t.sql.unsafe(ALL))];
    expect(live.some((r) => r['reverses_id'] !== null)).toBe(true);
    await t.sql`TRUNCATE green.impact_records`;
    expect(await replay(t.handle.db, 'green-impact', 0)).toBeGreaterThan(100);
    await deliver();
    expect([...(await t.sql.unsafe(ALL))]).toEqual(live);
  });
});
