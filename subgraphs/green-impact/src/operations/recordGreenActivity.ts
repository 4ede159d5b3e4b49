import { randomUUID } from 'node:crypto';
import type { Principal } from '@greenpoints/common';
import type { Database, Executor } from '@greenpoints/db';
import { activityCounters, greenActivities, greenOutbox } from '@greenpoints/db/schema/green';
import { publish } from '@greenpoints/events';
import { and, eq, lt, sql } from 'drizzle-orm';
import { ACTIVITY_RULES, capPeriods, type ActivityRule } from '../domain/activityRules.ts';
import { greenError } from '../errors.ts';
import { activityHash, checkActivity, organiserOf, type GreenActivityInput } from './activityChecks.ts';

export type GreenActivityRow = typeof greenActivities.$inferSelect;

/**
 * Takes one slot of a user's cap for a kind in one period: a single conditional upsert, which locks
 * the counter row, so concurrent recordings queue on it and never pass the cap together. Returns
 * false when the cap is reached.
 */
async function takeSlot(tx: Executor, userId: string, rule: ActivityRule, periodKind: 'DAY' | 'MONTH', periodStart: string): Promise<boolean> {
  const cap = periodKind === 'DAY' ? rule.perDay : rule.perMonth;
  const rows = await tx
    .insert(activityCounters)
    .values({ userId, kind: rule.kind, periodKind, periodStart, count: 1 })
    .onConflictDoUpdate({
      target: [activityCounters.userId, activityCounters.kind, activityCounters.periodKind, activityCounters.periodStart],
      set: { count: sql`${activityCounters.count} + 1` },
      setWhere: lt(activityCounters.count, cap),
    })
    .returning({ count: activityCounters.count });
  return rows.length === 1;
}

/** Gives back the slots of an activity the ledger refused, so a refusal does not use up a cap. */
export async function releaseSlots(tx: Executor, activity: Pick<GreenActivityRow, 'userId' | 'kind' | 'occurredAt'>): Promise<void> {
  const { day, month } = capPeriods(activity.occurredAt);
  for (const [periodKind, periodStart] of [['DAY', day], ['MONTH', month]] as const) {
    await tx
      .update(activityCounters)
      .set({ count: sql`${activityCounters.count} - 1` })
      .where(and(eq(activityCounters.userId, activity.userId), eq(activityCounters.kind, activity.kind), eq(activityCounters.periodKind, periodKind), eq(activityCounters.periodStart, periodStart), sql`${activityCounters.count} > 0`));
  }
}

/**
 * Records a verified green activity within its caps and publishes GreenActivityRecorded in the same
 * transaction; the ledger alone issues its points. The row (unique on the organiser-scoped key) is
 * inserted first, so a concurrent retry waits for it and then returns the first result; another
 * request under the same key is IDEMPOTENCY_CONFLICT. Over a cap, nothing is written.
 */
export async function recordGreenActivity(
  db: Database,
  principal: Principal,
  input: GreenActivityInput,
  idempotencyKey: string,
  now = new Date(),
): Promise<GreenActivityRow> {
  const organiserId = organiserOf(principal, input.organiserId);
  const activity = checkActivity(input, organiserId, idempotencyKey, now);
  const requestHash = activityHash(activity, Boolean(input.occurredAt));
  const rule = ACTIVITY_RULES[activity.kind];
  const scopedKey = `${organiserId ?? 'alliance'}:${idempotencyKey}`;

  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(greenActivities)
      .values({ id: randomUUID(), idempotencyKey: scopedKey, requestHash, ...activity, greenPoints: rule.greenPoints, recordedAt: now })
      .onConflictDoNothing({ target: greenActivities.idempotencyKey })
      .returning();
    if (!row) {
      const [first] = await tx.select().from(greenActivities).where(eq(greenActivities.idempotencyKey, scopedKey));
      if (!first || first.requestHash !== requestHash) throw greenError('IDEMPOTENCY_CONFLICT', 'This idempotency key was used for another activity');
      return first;
    }
    const { day, month } = capPeriods(activity.occurredAt);
    // Day before month, always: one lock order, so two recordings never wait on each other in a cycle.
    if (!(await takeSlot(tx, activity.userId, rule, 'DAY', day))) throw capReached(rule, 'day');
    if (!(await takeSlot(tx, activity.userId, rule, 'MONTH', month))) throw capReached(rule, 'month');
    await publish(
      tx,
      greenOutbox,
      'GreenActivityRecorded',
      { activityId: row.id, userId: row.userId, organiserId: row.organiserId, kind: row.kind, greenPoints: row.greenPoints, occurredAt: row.occurredAt.toISOString() },
      now,
    );
    return row;
  });
}

const capReached = (rule: ActivityRule, period: 'day' | 'month') =>
  greenError('ACTIVITY_CAP_REACHED', `At most ${period === 'day' ? rule.perDay : rule.perMonth} ${rule.kind} activities per ${period} earn green points`, {
    field: 'kind',
    cap: period === 'day' ? rule.perDay : rule.perMonth,
    period: period.toUpperCase(),
  });
