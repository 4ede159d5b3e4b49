import { DAY_MS } from '@greenpoints/common';

/**
 * Tiers from trailing-12-month posted spend, each with a bounded multiplier (percent, an integer so
 * point arithmetic stays exact). Thresholds are in fen.
 */
export const TIERS = [
  { tier: 'FOREST', minSpendMinor: 2_000_000, multiplierPercent: 150 },
  { tier: 'TREE', minSpendMinor: 500_000, multiplierPercent: 125 },
  { tier: 'SPROUT', minSpendMinor: 100_000, multiplierPercent: 110 },
  { tier: 'SEED', minSpendMinor: 0, multiplierPercent: 100 },
] as const;

export type Tier = (typeof TIERS)[number]['tier'];

export function tierFor(trailingSpendMinor: number): { tier: Tier; multiplierPercent: number } {
  const found = TIERS.find((t) => trailingSpendMinor >= t.minSpendMinor) ?? TIERS[3];
  return { tier: found.tier, multiplierPercent: found.multiplierPercent };
}

/** The window tier spend is measured over. */
export const TIER_WINDOW_DAYS = 365;

/** The start of the trailing window whose posted spend decides the tier at `at`. */
export const tierWindowStart = (at: Date): Date => new Date(at.getTime() - TIER_WINDOW_DAYS * DAY_MS);
