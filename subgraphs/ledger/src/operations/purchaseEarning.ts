import type { Executor } from '@greenpoints/db';
import { computeEarning, lotDates, type LineIn } from '../domain/earning.ts';
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
 * force. Runs inside the purchase's transaction.
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
  const skus = [...new Set(purchase.lines.map((l) => l.sku))];
  const earning = computeEarning({
    amountMinor: purchase.amountMinor,
    rule,
    earner: { tier, tierMultiplierPercent: multiplierPercent, ageBand: null },
    lines: purchase.lines,
    categoryOf: await repo.productCategories(skus),
    greenPointsPerUnit: await repo.greenPointsPerUnit(skus, occurredAt),
    promotions: [],
  });
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
