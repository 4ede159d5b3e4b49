import { promotionCopies } from '@greenpoints/db/schema/ledger';
import type { Handler } from '@greenpoints/events';

/** Promotions are immutable once published, so inserting is enough; a redelivery changes nothing. */
export const onPromotionPublished: Handler<'PromotionPublished'> = async (tx, e) => {
  const p = e.payload;
  await tx
    .insert(promotionCopies)
    .values({
      promotionId: p.promotionId,
      merchantId: p.merchantId,
      multiplierPercent: p.multiplierPercent,
      startsAt: new Date(p.startsAt),
      endsAt: new Date(p.endsAt),
      tiers: p.tiers,
      ageBands: p.ageBands,
      productCategories: p.productCategories,
      stackable: p.stackable,
      budgetPoints: p.budgetPoints,
    })
    .onConflictDoNothing();
};
