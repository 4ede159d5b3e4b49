import type { Executor } from '@greenpoints/db';
import { computeEarning, lotDates, relevantPromotions, type LineIn } from '../domain/earning.ts';
import { tierFor, tierWindowStart, type Tier } from '../domain/tier.ts';
import { LedgerError } from '../errors.ts';
import { createTransactionsRepository } from '../repositories/transactionsRepository.ts';

export interface PurchaseEarning {
  tier: Tier;
  points: number;
  greenPoints: number;
  lines: (LineIn & { greenPoints: number })[];
  /** The earn rule version and the promotions that produced these points. */
  ruleVersion: number;
  promotionIds: string[];
  /** The lot's dates: after the rule's return window, and after the rule's expiry term. */
  availableAt: Date;
  expiresAt: Date;
}

/**
 * What a purchase earns, by the merchant's rule version in effect at `occurredAt` (category rates
 * by each line's product category, the expiry term), the user's tier, and the promotions then in
 * force for this user and these lines. Runs inside the purchase's transaction: it locks the budget
 * rows of the promotions that could apply (before the caller locks any account: the ledger's lock
 * order) and charges them the bonus they produced, so a rollback returns it.
 */
export async function earnPurchase(
  tx: Executor,
  purchase: { userId: string; merchantId: string; amountMinor: number; lines: readonly LineIn[] },
  occurredAt: Date,
): Promise<PurchaseEarning> {
  const repo = createTransactionsRepository(tx);
  const rule = await repo.earnRuleAt(purchase.merchantId, occurredAt);
  if (!rule) throw new LedgerError('UNKNOWN_MERCHANT', 'No such merchant, or it has no published earn rule', { field: 'merchantId' });
  const { tier, multiplierPercent } = tierFor(await repo.spendSince(purchase.userId, tierWindowStart(occurredAt)));
  const earner = { tier, tierMultiplierPercent: multiplierPercent, ageBand: (await repo.userCopy(purchase.userId))?.ageBand ?? null };
  const skus = [...new Set(purchase.lines.map((l) => l.sku))];
  const categoryOf = await repo.productCategories(skus);
  // The part of the amount not on a line has no category: only promotions without one reach it.
  const relevant = relevantPromotions(await repo.promotionsAt(purchase.merchantId, occurredAt), earner, new Set(categoryOf.values()));
  const remaining = await repo.lockPromotionBudgets(relevant);
  const earning = computeEarning({
    amountMinor: purchase.amountMinor,
    rule,
    earner,
    lines: purchase.lines,
    categoryOf,
    greenPointsPerUnit: await repo.greenPointsPerUnit(skus, occurredAt),
    promotions: relevant.map((p) => ({ ...p, id: p.promotionId, remainingPoints: remaining.get(p.promotionId) ?? 0 })),
  });
  await repo.chargePromotionBudgets(earning.promotionPoints);
  return {
    tier,
    points: earning.points,
    greenPoints: earning.greenPoints,
    lines: earning.lines,
    ruleVersion: rule.version,
    promotionIds: earning.promotionIds,
    ...lotDates(occurredAt, rule.pendingDays, rule.pointsValidDays),
  };
}
