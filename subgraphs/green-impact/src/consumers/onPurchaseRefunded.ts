import type { Executor } from '@greenpoints/db';
import { impactRecords } from '@greenpoints/db/schema/green';
import type { Handler, PayloadOf } from '@greenpoints/events';
import { asc, inArray, like, sql } from 'drizzle-orm';
import { planReversals, type OriginalRecord } from '../domain/reversal.ts';
import { recordId } from '../domain/recordId.ts';

type Refund = PayloadOf<'PurchaseRefunded'>;

/** The purchase's own impact records (one per green line), in line order, locked while reversing. */
async function originalsOf(tx: Executor, purchaseId: string): Promise<OriginalRecord[]> {
  const rows = await tx
    .select()
    .from(impactRecords)
    .where(like(impactRecords.sourceRef, `purchase:${purchaseId}:%`))
    .orderBy(asc(impactRecords.sourceRef))
    .for('update');
  if (rows.length === 0) return [];
  const reversed = await tx
    .select({
      reverses: impactRecords.reversesId,
      quantity: sql<number>`sum(-${impactRecords.quantity})`.mapWith(Number),
      greenPoints: sql<number>`sum(-${impactRecords.greenPoints})`.mapWith(Number),
    })
    .from(impactRecords)
    .where(inArray(impactRecords.reversesId, rows.map((r) => r.id)))
    .groupBy(impactRecords.reversesId);
  const done = new Map(reversed.map((r) => [r.reverses, r]));
  return rows
    .map((r) => ({
      ...r,
      lineNo: Number(r.sourceRef.split(':').at(-1)),
      reversedQuantity: done.get(r.id)?.quantity ?? 0,
      reversedGreenPoints: done.get(r.id)?.greenPoints ?? 0,
    }))
    .sort((a, b) => a.lineNo - b.lineNo);
}

/**
 * A refund takes back the impact of what was returned: for each refunded line, a reversing record
 * (negative quantity and impact, the original's factor and profile versions, `reverses` naming it)
 * dated when the refund happened. Records are never changed or deleted, so every past report that
 * showed the purchase stays what it was, and the report of the refund's period shows the reversal.
 * Applied once per refund (its reversals share the refund's id in their source refs).
 */
export const onPurchaseRefunded: Handler<'PurchaseRefunded'> = async (tx, event) => {
  const refund: Refund = event.payload;
  const already = await tx.select({ id: impactRecords.id }).from(impactRecords).where(like(impactRecords.sourceRef, `refund:${refund.refundId}:%`)).limit(1);
  if (already.length > 0) return;
  const originals = await originalsOf(tx, refund.purchaseId);
  const occurredAt = new Date(refund.occurredAt);
  const rows = planReversals(originals, refund).map((r) => {
    const sourceRef = `refund:${refund.refundId}:${r.original.lineNo}`;
    const o = r.original;
    return {
      id: recordId(sourceRef), sourceRef, reversesId: o.id, userId: o.userId, merchantId: o.merchantId, sku: o.sku, category: o.category,
      quantity: -r.quantity, co2eGrams: -r.co2eGrams, waterLitres: -r.waterLitres, plasticGrams: -r.plasticGrams, greenPoints: -r.greenPoints,
      factorKey: o.factorKey, factorVersion: o.factorVersion, profileVersion: o.profileVersion, occurredAt,
      recordedAt: event.occurredAt,
    };
  });
  if (rows.length > 0) await tx.insert(impactRecords).values(rows).onConflictDoNothing();
};
