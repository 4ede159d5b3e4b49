import { DAY_MS } from '@greenpoints/common';
import { merchantsError } from '../errors.ts';
import { checkProductCategory, intInRange, MAX_NAME_LENGTH, requiredText } from './catalogRules.ts';

/** ×1.01 to ×20: the railway's ×15 for riders over 60 fits; the ledger bounds promotions together at ×20 too. */
export const MIN_MULTIPLIER_PERCENT = 101;
export const MAX_MULTIPLIER_PERCENT = 2_000;
export const MAX_WINDOW_DAYS = 366;
export const MAX_PRODUCT_CATEGORIES = 20;
export const MAX_BUDGET_POINTS = 1_000_000_000;

export type Tier = 'SEED' | 'SPROUT' | 'TREE' | 'FOREST';
export type ApiAgeBand = 'UNDER_18' | 'AGE_18_59' | 'AGE_60_PLUS';
/** Age bands as the users service stores them and events carry them. */
export type StoredAgeBand = 'UNDER_18' | '18_59' | '60_PLUS';

const AGE_BAND_TO_DB: Record<ApiAgeBand, StoredAgeBand> = { UNDER_18: 'UNDER_18', AGE_18_59: '18_59', AGE_60_PLUS: '60_PLUS' };
const AGE_BAND_TO_API: Record<string, ApiAgeBand> = { UNDER_18: 'UNDER_18', '18_59': 'AGE_18_59', '60_PLUS': 'AGE_60_PLUS' };
export const ageBandToApi = (stored: string): ApiAgeBand | null => AGE_BAND_TO_API[stored] ?? null;

export interface PromotionDraft {
  title: string;
  multiplierPercent: number;
  startsAt: Date;
  endsAt: Date;
  tiers?: readonly Tier[] | null | undefined;
  ageBands?: readonly ApiAgeBand[] | null | undefined;
  productCategories?: readonly string[] | null | undefined;
  stackable?: boolean | null | undefined;
  budgetPoints: number;
}

const bad = (argument: string, message: string) => merchantsError('BAD_USER_INPUT', message, { argument });
const distinct = <T>(values: readonly T[] | null | undefined): T[] => [...new Set(values ?? [])];

/**
 * A promotion as it may be published: a real multiplier, a window that starts now or later (members
 * know it before it applies; also a CHECK in Postgres) and lasts at most a year, eligibility lists
 * without repeats, and a budget of bonus points.
 */
export function checkPromotion(draft: PromotionDraft, now: Date) {
  const { startsAt, endsAt } = draft;
  if (startsAt < now) throw bad('input.startsAt', 'A promotion starts no earlier than it is published');
  if (startsAt.getTime() >= Date.UTC(2100, 0, 1)) throw bad('input.startsAt', 'input.startsAt must lie before 2100');
  if (endsAt <= startsAt || endsAt.getTime() - startsAt.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw bad('input.endsAt', `input.endsAt must lie after startsAt, at most ${MAX_WINDOW_DAYS} days later`);
  }
  const categories = distinct(draft.productCategories);
  if (categories.length > MAX_PRODUCT_CATEGORIES) throw bad('input.productCategories', `At most ${MAX_PRODUCT_CATEGORIES} product categories`);
  return {
    title: requiredText(draft.title, 'input.title', MAX_NAME_LENGTH),
    multiplierPercent: intInRange(draft.multiplierPercent, 'input.multiplierPercent', MIN_MULTIPLIER_PERCENT, MAX_MULTIPLIER_PERCENT),
    startsAt,
    endsAt,
    tiers: distinct(draft.tiers),
    ageBands: distinct(draft.ageBands).map((band) => AGE_BAND_TO_DB[band]),
    productCategories: categories.map((c) => checkProductCategory(c, 'input.productCategories')),
    stackable: draft.stackable ?? false,
    budgetPoints: intInRange(draft.budgetPoints, 'input.budgetPoints', 1, MAX_BUDGET_POINTS),
  };
}
export type CheckedPromotion = ReturnType<typeof checkPromotion>;
