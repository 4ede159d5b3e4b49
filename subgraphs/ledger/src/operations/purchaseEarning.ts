import type { Executor } from '@greenpoints/db';
import { computeEarning, lotDates, relevantPromotions, type EarnRule, type LineIn } from '../domain/earning.ts';
import { tierFor, tierWindowStart, type Tier } from '../domain/tier.ts';
import { LedgerError } from '../errors.ts';
import { createTransactionsRepository, type TransactionsRepository } from '../repositories/transactionsRepository.ts';
import type { PurchaseFacts } from './purchaseChecks.ts';

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

interface Purchase {
  userId: string;
  merchantId: string;
  amountMinor: number;
  lines: readonly LineIn[];
}

/** Everything a purchase is checked and earned by, as the read models hold it at `occurredAt`. */
export interface PurchaseContext extends PurchaseFacts {
  rule: (EarnRule & { version: number }) | undefined;
  spend: number;
  categoryOf: ReadonlyMap<string, string>;
  promotions: Awaited<ReturnType<TransactionsRepository['promotionsAt']>>;
  greenPointsPerUnit: ReadonlyMap<string, number>;
}

/**
 * Reads what a purchase needs — the user and merchant, the SKUs' owners, categories and green
 * profiles, the rule version and promotions in force at `occurredAt`, the user's spend for the tier —
 * in one round trip: the statements are independent and go out pipelined on the transaction's connection.
 */
export async function loadPurchaseContext(tx: Executor, purchase: Purchase, occurredAt: Date): Promise<PurchaseContext> {
  const repo = createTransactionsRepository(tx);
  const skus = [...new Set(purchase.lines.map((l) => l.sku))];
  const [user, merchant, owners, categoryOf, greenPointsPerUnit, rule, spend, promotions] = await Promise.all([
    repo.userCopy(purchase.userId),
    repo.merchantCopy(purchase.merchantId),
    repo.productOwners(skus),
    repo.productCategories(skus),
    repo.greenPointsPerUnit(skus, occurredAt),
    repo.earnRuleAt(purchase.merchantId, occurredAt),
    repo.spendSince(purchase.userId, tierWindowStart(occurredAt)),
    repo.promotionsAt(purchase.merchantId, occurredAt),
  ]);
  return { user, merchant, owners, categoryOf, greenPointsPerUnit, rule, spend, promotions };
}

/**
 * What a purchase earns, by the merchant's rule version in effect at `occurredAt` (category rates
 * by each line's product category, the expiry term), the user's tier, and the promotions then in
 * force for this user and these lines. Runs inside the purchase's transaction: it locks the budget
 * rows of the promotions that could apply (before the caller locks any account: the ledger's lock
 * order) and charges them the bonus they produced, so a rollback returns it.
 */
export async function earnPurchase(tx: Executor, purchase: Purchase, context: PurchaseContext, occurredAt: Date): Promise<PurchaseEarning> {
  const repo = createTransactionsRepository(tx);
  const { rule } = context;
  if (!rule) throw new LedgerError('UNKNOWN_MERCHANT', 'No such merchant, or it has no published earn rule', { field: 'merchantId' });
  const { tier, multiplierPercent } = tierFor(context.spend);
  const earner = { tier, tierMultiplierPercent: multiplierPercent, ageBand: context.user?.ageBand ?? null };
  // The part of the amount not on a line has no category: only promotions without one reach it.
  const relevant = relevantPromotions(context.promotions, earner, new Set(context.categoryOf.values()));
  const remaining = await repo.lockPromotionBudgets(relevant);
  const earning = computeEarning({
    amountMinor: purchase.amountMinor,
    rule,
    earner,
    lines: purchase.lines,
    categoryOf: context.categoryOf,
    greenPointsPerUnit: context.greenPointsPerUnit,
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
