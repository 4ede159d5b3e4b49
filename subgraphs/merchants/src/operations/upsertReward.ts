import { randomUUID } from 'node:crypto';
import type { Executor } from '@greenpoints/db';
import { merchants, rewards } from '@greenpoints/db/schema/merchants';
import { and, eq, sql } from 'drizzle-orm';
import type { checkReward } from '../domain/catalogRules.ts';
import { merchantsError } from '../errors.ts';

export type CheckedReward = ReturnType<typeof checkReward>;

/**
 * Adds a reward to a merchant's catalogue, or replaces one of that merchant's own rewards (never
 * another's: the update is scoped by merchant). Rewards publish no events: no other subgraph keeps
 * a copy. Returns the reward's id.
 */
export async function upsertReward(db: Executor, merchantId: string, reward: CheckedReward, id?: string): Promise<string> {
  return db.transaction(async (tx) => {
    const [merchant] = await tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, merchantId));
    if (!merchant) throw merchantsError('NOT_FOUND', 'No such merchant', { merchantId });
    if (id === undefined) {
      const newId = randomUUID();
      await tx.insert(rewards).values({ id: newId, merchantId, ...reward });
      return newId;
    }
    const updated = await tx
      .update(rewards)
      // What a member agrees to (what the reward is, its terms, when it can be used) changed: a new
      // version, so a member who read the old one is asked to read again. The price has its own check.
      .set({ ...reward, termsVersion: sql`CASE WHEN (${rewards.title}, ${rewards.kind}, ${rewards.terms}, ${rewards.validFrom}, ${rewards.validUntil})
          IS DISTINCT FROM (${reward.title}::text, ${reward.kind}::text, ${reward.terms}::text, ${reward.validFrom.toISOString()}::timestamptz, ${reward.validUntil?.toISOString() ?? null}::timestamptz)
        THEN ${rewards.termsVersion} + 1 ELSE ${rewards.termsVersion} END` })
      .where(and(eq(rewards.id, id), eq(rewards.merchantId, merchantId)))
      .returning({ id: rewards.id });
    if (updated.length > 0) return id;
    const [other] = await tx.select({ id: rewards.id }).from(rewards).where(eq(rewards.id, id));
    throw other
      ? merchantsError('FORBIDDEN', "A merchant edits only its own rewards", { argument: 'input.id' })
      : merchantsError('NOT_FOUND', 'No such reward', { argument: 'input.id' });
  });
}
