/**
 * Pure earning rules: integers in, integers out, no I/O. Intermediate products can pass 2^53 (an
 * amount in fen × a rate × a tier × a promotion multiplier), so the sums are BigInt and each figure
 * is floored once, at the end, never per line.
 */
import { DAY_MS } from '@greenpoints/common';

export interface EarnRule {
  version: number;
  pointsPerYuan: number;
  pendingDays: number;
  perOrderCap: number | null;
  /** Points per yuan for lines of a product category, instead of pointsPerYuan. */
  categoryPointsPerYuan: Readonly<Record<string, number>>;
  /** Days the lots this version issues stay valid. */
  pointsValidDays: number;
}

export interface LineIn {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

/** A promotion in its window at the purchase's merchant, as the ledger's read model holds it. */
export interface PromotionTerms {
  id: string;
  /** 200 = double points. Each promotion is 101–2000 (the merchants subgraph and the event check it). */
  multiplierPercent: number;
  stackable: boolean;
  /** Who is eligible; an empty list means anyone. */
  tiers: readonly string[];
  ageBands: readonly string[];
  /** Which lines it lifts, by product category; empty means the whole purchase. */
  productCategories: readonly string[];
  /** Bonus points it may still produce before its budget cap is used; null for no cap. */
  remainingPoints: number | null;
}

export interface Earner {
  tier: string;
  tierMultiplierPercent: number;
  /** From the users events; null when unknown (then no age-band promotion applies). */
  ageBand: string | null;
}

export interface EarningInput {
  amountMinor: number;
  rule: EarnRule;
  earner: Earner;
  lines: readonly LineIn[];
  /** Product category per SKU (the ledger's product read model). */
  categoryOf: ReadonlyMap<string, string>;
  greenPointsPerUnit: ReadonlyMap<string, number>;
  promotions: readonly PromotionTerms[];
}

export interface Earning {
  points: number;
  greenPoints: number;
  lines: (LineIn & { greenPoints: number })[];
  /** The promotions that added points to this purchase, by id. */
  promotionIds: string[];
  /** Bonus points charged to each of them (its budget use); never more than the bonus granted. */
  promotionPoints: Map<string, number>;
}

/** Lots earned under a version published before the expiry term existed stay valid this long. */
export const DEFAULT_POINTS_VALID_DAYS = 365;
/**
 * The most promotions may multiply the points of a line, together: ×20. Railways give riders over
 * 60 fifteen times the points, so the bound leaves room for that and little more; with the highest
 * tier (×1.5) a line earns at most ×30 its rule's points.
 */
export const MAX_PROMOTION_MULTIPLIER_PERCENT = 2_000;

interface Segment {
  /** Fen of the amount paid attributed to this segment, times DENOMINATOR (exact, no rounding). */
  weight: bigint;
  category: string | null;
  rate: bigint;
}

/**
 * The amount paid, split by line: each line's amount at its category's rate, and what the lines do
 * not cover at the rule's rate. When the lines add up to more than was paid (a discount), every
 * line is scaled down in proportion, exactly: weights carry the common denominator `scale`.
 */
function segmentsOf(input: EarningInput): { segments: Segment[]; scale: bigint } {
  const { amountMinor, rule, lines, categoryOf } = input;
  const rateOf = (category: string | null) =>
    BigInt(category !== null && Object.hasOwn(rule.categoryPointsPerYuan, category) ? rule.categoryPointsPerYuan[category]! : rule.pointsPerYuan);
  const amount = BigInt(amountMinor);
  const lineTotal = lines.reduce((s, l) => s + BigInt(l.quantity) * BigInt(l.unitPriceMinor), 0n);
  const scale = lineTotal > amount ? lineTotal : 1n;
  const segments = lines.map((l) => {
    const category = categoryOf.get(l.sku) ?? null;
    const lineAmount = BigInt(l.quantity) * BigInt(l.unitPriceMinor);
    return { weight: scale === 1n ? lineAmount : lineAmount * amount, category, rate: rateOf(category) };
  });
  if (lineTotal < amount) segments.push({ weight: amount - lineTotal, category: null, rate: rateOf(null) });
  return { segments, scale };
}

const eligible = (p: Pick<PromotionTerms, 'tiers' | 'ageBands'>, earner: Earner) =>
  (p.tiers.length === 0 || p.tiers.includes(earner.tier)) && (p.ageBands.length === 0 || (earner.ageBand !== null && p.ageBands.includes(earner.ageBand)));

/**
 * The promotions that could lift this purchase at all: the earner is eligible, and it names no
 * product category or one of the lines' categories. Only these are locked and considered.
 */
export function relevantPromotions<P extends Pick<PromotionTerms, 'tiers' | 'ageBands' | 'productCategories'>>(
  promotions: readonly P[],
  earner: Earner,
  lineCategories: ReadonlySet<string>,
): P[] {
  return promotions.filter((p) => eligible(p, earner) && (p.productCategories.length === 0 || p.productCategories.some((c) => lineCategories.has(c))));
}

/**
 * The promotions that apply to one segment and their combined multiplier: stackable promotions
 * multiply together; a non-stackable one applies alone; whichever gives more wins (a tie goes to the
 * single promotion, which draws on one budget). Bounded by MAX_PROMOTION_MULTIPLIER_PERCENT.
 */
export function promotionsForSegment(candidates: readonly PromotionTerms[], category: string | null): { percent: number; ids: string[] } {
  const matching = candidates.filter((p) => p.productCategories.length === 0 || (category !== null && p.productCategories.includes(category)));
  const stackable = matching.filter((p) => p.stackable);
  let stacked = 100n;
  for (const p of stackable) stacked = (stacked * BigInt(p.multiplierPercent)) / 100n;
  const best = matching
    .filter((p) => !p.stackable)
    .sort((a, b) => b.multiplierPercent - a.multiplierPercent || (a.id < b.id ? -1 : 1))[0];
  const chosen = best && BigInt(best.multiplierPercent) >= stacked ? { percent: BigInt(best.multiplierPercent), ids: [best.id] } : { percent: stacked, ids: stackable.map((p) => p.id) };
  const percent = Number(chosen.percent > BigInt(MAX_PROMOTION_MULTIPLIER_PERCENT) ? BigInt(MAX_PROMOTION_MULTIPLIER_PERCENT) : chosen.percent);
  return percent > 100 ? { percent, ids: chosen.ids } : { percent: 100, ids: [] };
}

/**
 * Points for a purchase:
 *   base   = floor(Σ segment fen × its rate / 100)            (the rule: per yuan, by category)
 *   tiered = floor(base × tier multiplier / 100)
 *   bonus  = floor(Σ segment fen × rate × tier % × (promotion % − 100) / 10^6)
 *   points = min(tiered + bonus, per-order cap)
 * A promotion is dropped (and the choice made again without it) when the bonus it would produce
 * exceeds what is left of its budget, so no budget is ever overdrawn. Each applied promotion is
 * charged the bonus of the lines it lifted, at most the bonus granted after the cap (stacked
 * promotions are each charged their lines' whole bonus: a budget never pays less than it caused).
 * Green points are per unit of each green SKU, independent of tier and promotions.
 */
export function computeEarning(input: EarningInput): Earning {
  const { rule, earner } = input;
  const { segments, scale } = segmentsOf(input);
  const base = segments.reduce((s, g) => s + g.weight * g.rate, 0n) / (100n * scale);
  const tiered = Number((base * BigInt(earner.tierMultiplierPercent)) / 100n);

  let candidates = input.promotions.filter((p) => eligible(p, earner));
  let bonus = 0;
  let perPromotion = new Map<string, number>();
  for (let round = 0; round <= input.promotions.length; round += 1) {
    const units = new Map<string, bigint>();
    let total = 0n;
    for (const g of segments) {
      const { percent, ids } = promotionsForSegment(candidates, g.category);
      const lifted = g.weight * g.rate * BigInt(earner.tierMultiplierPercent) * BigInt(percent - 100);
      total += lifted;
      for (const id of ids) units.set(id, (units.get(id) ?? 0n) + lifted);
    }
    const denominator = 1_000_000n * scale;
    bonus = Number(total / denominator);
    perPromotion = new Map([...units].map(([id, u]) => [id, Number(u / denominator)]));
    const overdrawn = new Set(candidates.filter((p) => p.remainingPoints !== null && (perPromotion.get(p.id) ?? 0) > p.remainingPoints).map((p) => p.id));
    if (overdrawn.size === 0) break;
    candidates = candidates.filter((p) => !overdrawn.has(p.id));
  }

  const cap = (n: number) => (rule.perOrderCap === null ? n : Math.min(n, rule.perOrderCap));
  const points = cap(tiered + bonus);
  const granted = points - cap(tiered);
  const promotionPoints = new Map([...perPromotion].filter(([, n]) => n > 0 && granted > 0).map(([id, n]) => [id, Math.min(n, granted)]));
  const earnedLines = input.lines.map((line) => ({ ...line, greenPoints: (input.greenPointsPerUnit.get(line.sku) ?? 0) * line.quantity }));
  return {
    points,
    greenPoints: earnedLines.reduce((sum, l) => sum + l.greenPoints, 0),
    lines: earnedLines,
    promotionIds: [...promotionPoints.keys()].sort(),
    promotionPoints,
  };
}

/** When a lot becomes spendable (after the return window) and when it expires (the rule's term). */
export function lotDates(occurredAt: Date, pendingDays: number, pointsValidDays: number = DEFAULT_POINTS_VALID_DAYS): { availableAt: Date; expiresAt: Date } {
  return {
    availableAt: new Date(occurredAt.getTime() + pendingDays * DAY_MS),
    expiresAt: new Date(occurredAt.getTime() + pointsValidDays * DAY_MS),
  };
}
