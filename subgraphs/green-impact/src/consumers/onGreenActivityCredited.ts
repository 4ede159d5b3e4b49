import { greenActivities, impactRecords } from '@greenpoints/db/schema/green';
import type { Handler } from '@greenpoints/events';
import { and, eq } from 'drizzle-orm';
import { ACTIVITY_RULES, isActivityKind } from '../domain/activityRules.ts';
import { recordId } from '../domain/recordId.ts';
import { releaseSlots } from '../operations/recordGreenActivity.ts';

/**
 * The ledger's answer to a recorded activity. CREDITED: the activity shows the points issued and
 * gets its impact record (green points only: no CO2e is claimed for an action without a sourced
 * factor). REFUSED: the activity shows why, and gives back its cap slots. The status moves once
 * (from RECORDED), so a redelivery or a replay never releases a slot twice; the record is keyed by
 * the activity, so a replay into emptied records writes the same one.
 */
export const onGreenActivityCredited: Handler<'GreenActivityCredited'> = async (tx, event) => {
  const p = event.payload;
  const [activity] = await tx.select().from(greenActivities).where(eq(greenActivities.id, p.activityId));
  // An answer about an activity this database never recorded is the ledger's mistake, not ours to invent.
  if (!activity || !isActivityKind(activity.kind)) throw new Error(`GreenActivityCredited for unknown activity ${p.activityId}`);
  const moved = await tx
    .update(greenActivities)
    .set({ status: p.status, pointsCredited: p.status === 'CREDITED' ? p.greenPoints : 0, refusalReason: p.reason, resolvedAt: new Date(p.occurredAt) })
    .where(and(eq(greenActivities.id, p.activityId), eq(greenActivities.status, 'RECORDED')))
    .returning({ id: greenActivities.id });
  if (p.status === 'REFUSED') {
    if (moved.length === 1) await releaseSlots(tx, activity);
    return;
  }
  const sourceRef = `activity:${activity.id}`;
  await tx
    .insert(impactRecords)
    .values({
      id: recordId(sourceRef),
      sourceRef,
      userId: activity.userId,
      merchantId: activity.organiserId,
      sku: null,
      category: ACTIVITY_RULES[activity.kind].category,
      quantity: 1,
      co2eGrams: 0,
      waterLitres: 0,
      plasticGrams: 0,
      greenPoints: p.greenPoints,
      factorKey: null,
      factorVersion: null,
      profileVersion: null,
      occurredAt: activity.occurredAt,
      // Credited now, whenever the activity took place: an activity backdated into a closed month
      // counts in aggregates where it was recorded.
      recordedAt: event.occurredAt,
    })
    .onConflictDoNothing();
};
