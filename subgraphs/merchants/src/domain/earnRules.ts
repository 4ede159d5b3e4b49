import { merchantsError } from '../errors.ts';
import { checkProductCategory, intInRange } from './catalogRules.ts';

/** A bound far above any real rule, so a typo cannot issue a fortune. */
export const MAX_POINTS_PER_YUAN = 1_000;
export const MAX_CATEGORY_OVERRIDES = 50;
/**
 * How long points may be valid, in days. The floor keeps points usable (redeeming must never be
 * made hard: a quarter of a year at least); the ceiling is five years. Without a term, a year.
 */
export const MIN_POINTS_VALID_DAYS = 90;
export const MAX_POINTS_VALID_DAYS = 1_830;
export const DEFAULT_POINTS_VALID_DAYS = 365;

export interface EarnRuleDraft {
  pointsPerYuan: number;
  pendingDays: number;
  perOrderCap?: number | null | undefined;
  categoryOverrides?: readonly { category: string; pointsPerYuan: number }[] | null | undefined;
  pointsValidDays?: number | null | undefined;
  effectiveFrom: Date;
}

/**
 * An earn rule version as it may be published: every figure within bounds, each product category
 * overridden at most once. effectiveFrom is checked against the publication time by the operation
 * (and by a CHECK in Postgres), since only it knows that moment.
 */
export function checkEarnRule(draft: EarnRuleDraft) {
  if (draft.effectiveFrom.getTime() >= Date.UTC(2100, 0, 1)) {
    throw merchantsError('BAD_USER_INPUT', 'input.effectiveFrom must lie before 2100', { argument: 'input.effectiveFrom' });
  }
  const overrides = draft.categoryOverrides ?? [];
  if (overrides.length > MAX_CATEGORY_OVERRIDES) {
    throw merchantsError('BAD_USER_INPUT', `At most ${MAX_CATEGORY_OVERRIDES} category overrides`, { argument: 'input.categoryOverrides' });
  }
  const categoryPointsPerYuan: Record<string, number> = {};
  for (const o of overrides) {
    const category = checkProductCategory(o.category, 'input.categoryOverrides.category');
    if (Object.hasOwn(categoryPointsPerYuan, category)) {
      throw merchantsError('BAD_USER_INPUT', `Category ${category} is overridden twice`, { argument: 'input.categoryOverrides.category' });
    }
    categoryPointsPerYuan[category] = intInRange(o.pointsPerYuan, 'input.categoryOverrides.pointsPerYuan', 0, MAX_POINTS_PER_YUAN);
  }
  return {
    pointsPerYuan: intInRange(draft.pointsPerYuan, 'input.pointsPerYuan', 0, MAX_POINTS_PER_YUAN),
    pendingDays: intInRange(draft.pendingDays, 'input.pendingDays', 0, 365),
    perOrderCap: draft.perOrderCap == null ? null : intInRange(draft.perOrderCap, 'input.perOrderCap', 1, 2_147_483_647),
    categoryPointsPerYuan,
    pointsValidDays: intInRange(draft.pointsValidDays ?? DEFAULT_POINTS_VALID_DAYS, 'input.pointsValidDays', MIN_POINTS_VALID_DAYS, MAX_POINTS_VALID_DAYS),
    effectiveFrom: draft.effectiveFrom,
  };
}

/** The overrides as a list, by category, for the API and the event. */
export const overridesList = (rates: Readonly<Record<string, number>>) =>
  Object.entries(rates)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([category, pointsPerYuan]) => ({ category, pointsPerYuan }));
