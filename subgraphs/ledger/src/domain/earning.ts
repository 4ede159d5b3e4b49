/** Pure earning rules: integers in, integers out, no I/O. */
import { DAY_MS } from '@greenpoints/common';

export interface EarnRule {
  version: number;
  pointsPerYuan: number;
  pendingDays: number;
  perOrderCap: number | null;
}

export interface LineIn {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface Earning {
  points: number;
  greenPoints: number;
  lines: (LineIn & { greenPoints: number })[];
}

/** Points earned by a lot are spendable after the return window and expire this long after earning. */
export const LOT_VALIDITY_DAYS = 365;

/**
 * base = floor(amount in fen × points per yuan / 100), × the tier multiplier (floored), capped per
 * order. Green points are per unit of each green SKU, independent of the tier.
 */
export function computeEarning(
  amountMinor: number,
  rule: EarnRule,
  multiplierPercent: number,
  lines: LineIn[],
  greenPointsPerUnit: ReadonlyMap<string, number>,
): Earning {
  const base = Math.floor((amountMinor * rule.pointsPerYuan) / 100);
  const multiplied = Math.floor((base * multiplierPercent) / 100);
  const points = rule.perOrderCap === null ? multiplied : Math.min(multiplied, rule.perOrderCap);
  const earnedLines = lines.map((line) => ({ ...line, greenPoints: (greenPointsPerUnit.get(line.sku) ?? 0) * line.quantity }));
  const greenPoints = earnedLines.reduce((sum, l) => sum + l.greenPoints, 0);
  return { points, greenPoints, lines: earnedLines };
}

export function lotDates(occurredAt: Date, pendingDays: number): { availableAt: Date; expiresAt: Date } {
  return {
    availableAt: new Date(occurredAt.getTime() + pendingDays * DAY_MS),
    expiresAt: new Date(occurredAt.getTime() + LOT_VALIDITY_DAYS * DAY_MS),
  };
}
