import { randomUUID } from 'node:crypto';
import type { Executor } from '@greenpoints/db';
import { merchants, merchantsOutbox, promotions } from '@greenpoints/db/schema/merchants';
import { publish } from '@greenpoints/events';
import { eq } from 'drizzle-orm';
import type { CheckedPromotion } from '../domain/promotions.ts';
import { merchantsError } from '../errors.ts';

/**
 * Publishes a promotion and PromotionPublished in one transaction (the merchant row is locked, so
 * one merchant's events stay in order). It starts no earlier than now: checked by the caller
 * against the same clock and by a CHECK in Postgres (`starts_at >= published_at`). Returns its id.
 */
export async function publishPromotion(db: Executor, merchantId: string, promotion: CheckedPromotion, publishedAt: Date = new Date()): Promise<string> {
  if (promotion.startsAt < publishedAt) {
    throw merchantsError('BAD_USER_INPUT', 'A promotion starts no earlier than it is published', { argument: 'input.startsAt' });
  }
  return db.transaction(async (tx) => {
    const [merchant] = await tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, merchantId)).for('update');
    if (!merchant) throw merchantsError('NOT_FOUND', 'No such merchant', { merchantId });
    const id = randomUUID();
    await tx.insert(promotions).values({ id, merchantId, ...promotion, publishedAt });
    const { title: _title, startsAt, endsAt, ...terms } = promotion;
    await publish(
      tx,
      merchantsOutbox,
      'PromotionPublished',
      { promotionId: id, merchantId, ...terms, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
      publishedAt,
    );
    return id;
  });
}
