import type { Executor } from '@greenpoints/db';
import { greenProfileVersions, impactRecords } from '@greenpoints/db/schema/green';
import type { Handler } from '@greenpoints/events';
import { asc, inArray } from 'drizzle-orm';
import { recordId } from '../domain/recordId.ts';
import { impactOfLine, type Profile } from '../domain/report.ts';

type VersionRow = typeof greenProfileVersions.$inferSelect;

/**
 * The profile version in force at `at` for each SKU (the newest whose effectiveFrom ≤ at), so a
 * replay months later gives the same record; a purchase older than every version uses the first.
 */
async function profilesInForce(db: Executor, skus: string[], at: Date): Promise<Map<string, VersionRow>> {
  if (skus.length === 0) return new Map();
  const rows = await db
    .select()
    .from(greenProfileVersions)
    .where(inArray(greenProfileVersions.sku, skus))
    .orderBy(asc(greenProfileVersions.sku), asc(greenProfileVersions.version));
  const chosen = new Map<string, VersionRow>();
  for (const row of rows) {
    const current = chosen.get(row.sku);
    if (!current || row.effectiveFrom.getTime() <= at.getTime()) chosen.set(row.sku, row);
  }
  return chosen;
}

/**
 * Turns a ledger PurchaseRecorded event into one impact record per green line. Green points come
 * from the event (the ledger's decision is the single truth); the physical impact and the emission
 * factor version come from the profile version in force at purchase time, which the record pins.
 * Idempotent twice over: the consumer records the event id, and each record's source ref is unique;
 * record ids derive from the source ref, so a replay into a fresh database writes the same rows.
 */
export const onPurchaseRecorded: Handler<'PurchaseRecorded'> = async (tx, event) => {
  const p = event.payload;
  const occurredAt = new Date(p.occurredAt);
  const profiles = await profilesInForce(tx, [...new Set(p.lines.map((l) => l.sku))], occurredAt);
  const records = p.lines.flatMap((line, i) => {
    const version = profiles.get(line.sku);
    if (!version) return [];
    const profile: Profile = { ...version };
    const sourceRef = `purchase:${p.purchaseId}:${i + 1}`;
    return [
      {
        id: recordId(sourceRef),
        sourceRef,
        profileVersion: version.version,
        userId: p.userId,
        merchantId: p.merchantId,
        sku: line.sku,
        occurredAt,
        // When the alliance learnt of it (the ledger recorded the purchase), whenever it happened.
        recordedAt: event.occurredAt,
        ...impactOfLine(profile, line.quantity),
        greenPoints: line.greenPoints,
      },
    ];
  });
  if (records.length > 0) await tx.insert(impactRecords).values(records).onConflictDoNothing();
};
