import { randomUUID } from 'node:crypto';
import type { Database } from '@greenpoints/db';
import { greenProcessedEvents, impactRecords } from '@greenpoints/db/schema/green';
import { impactOfLine } from '../domain/report.ts';
import { createGreenRepository } from '../repositories/greenRepository.ts';

export interface PurchaseRecorded {
  purchaseId: string;
  userId: string;
  merchantId: string;
  occurredAt: string;
  lines: { sku: string; quantity: number }[];
}

/**
 * Turns a ledger PurchaseRecorded event into one impact record per green line. Idempotent twice over:
 * the event id is recorded as processed, and each record's source ref is unique.
 */
export async function onPurchaseRecorded(db: Database, eventId: string, event: PurchaseRecorded): Promise<void> {
  await db.transaction(async (tx) => {
    const fresh = await tx.insert(greenProcessedEvents).values({ eventId, type: 'PurchaseRecorded' }).onConflictDoNothing().returning();
    if (fresh.length === 0) return;
    const profiles = new Map(
      (await createGreenRepository(tx).profilesBySkus(event.lines.map((l) => l.sku))).map((p) => [p.sku, p]),
    );
    const records = event.lines.flatMap((line, i) => {
      const profile = profiles.get(line.sku);
      if (!profile) return [];
      return [
        {
          id: randomUUID(),
          sourceRef: `purchase:${event.purchaseId}:${i + 1}`,
          userId: event.userId,
          merchantId: event.merchantId,
          sku: line.sku,
          occurredAt: new Date(event.occurredAt),
          ...impactOfLine(profile, line.quantity),
        },
      ];
    });
    if (records.length > 0) await tx.insert(impactRecords).values(records).onConflictDoNothing();
  });
}
