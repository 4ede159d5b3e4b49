import { isCleanText, isInt32 } from '@greenpoints/common';
import { merchantsError } from '../errors.ts';

/**
 * What the alliance requires of a merchant's own entries, as pure checks (no database): a client
 * value that breaks one is BAD_USER_INPUT naming the argument. Limits match the event contracts
 * (names ≤ 200, SKUs ≤ 64, categories ≤ 40), so a valid input always makes a valid event.
 */
export const MAX_NAME_LENGTH = 200;
export const MAX_TERMS_LENGTH = 2_000;
export const MAX_POINTS_COST = 10_000_000;
/** Dates a client may give for validity and sale windows: far enough for any real catalogue. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const SKU = /^[A-Za-z0-9._-]{1,64}$/;
const PRODUCT_CATEGORY = /^[A-Z][A-Z0-9_]{0,39}$/;

const bad = (argument: string, message: string) => merchantsError('BAD_USER_INPUT', message, { argument });

/** Trimmed, non-blank, clean text of at most `max` characters. */
export function requiredText(value: string, argument: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > max || !isCleanText(trimmed)) throw bad(argument, `${argument} must be 1 to ${max} characters of text`);
  return trimmed;
}

export function intInRange(value: number, argument: string, min: number, max: number): number {
  if (!isInt32(value) || value < min || value > max) throw bad(argument, `${argument} must be an integer from ${min} to ${max}`);
  return value;
}

function dateInRange(value: Date, argument: string): Date {
  if (value.getTime() < EARLIEST || value.getTime() >= LATEST) throw bad(argument, `${argument} must lie between 2000 and 2100`);
  return value;
}

export function checkSku(sku: string): string {
  if (!SKU.test(sku)) throw bad('input.sku', "input.sku must be 1 to 64 letters, digits, '.', '_' or '-'");
  return sku;
}

export function checkProductCategory(category: string, argument = 'input.category'): string {
  if (!PRODUCT_CATEGORY.test(category)) throw bad(argument, `${argument} must be upper-case letters, digits and _ (at most 40)`);
  return category;
}

export interface RewardDraft {
  title: string;
  kind: string;
  pointsCost: number;
  sale?: { pointsCost: number; startsAt: Date; endsAt: Date } | null | undefined;
  stock: number;
  validFrom: Date;
  validUntil?: Date | null | undefined;
  terms: string;
}

/**
 * A reward as the catalogue may admit it: terms to show before redeeming, a validity that has not
 * already ended, a sale price below the regular one inside a real window.
 */
export function checkReward(draft: RewardDraft, now: Date) {
  const pointsCost = intInRange(draft.pointsCost, 'input.pointsCost', 1, MAX_POINTS_COST);
  const validFrom = dateInRange(draft.validFrom, 'input.validFrom');
  const validUntil = draft.validUntil ? dateInRange(draft.validUntil, 'input.validUntil') : null;
  if (validUntil && (validUntil <= validFrom || validUntil <= now)) {
    throw bad('input.validUntil', 'input.validUntil must lie after validFrom and in the future');
  }
  let sale = null;
  if (draft.sale) {
    const cost = intInRange(draft.sale.pointsCost, 'input.sale.pointsCost', 1, pointsCost - 1);
    const startsAt = dateInRange(draft.sale.startsAt, 'input.sale.startsAt');
    const endsAt = dateInRange(draft.sale.endsAt, 'input.sale.endsAt');
    if (endsAt <= startsAt) throw bad('input.sale.endsAt', 'input.sale.endsAt must lie after startsAt');
    sale = { salePointsCost: cost, saleStartsAt: startsAt, saleEndsAt: endsAt };
  }
  return {
    title: requiredText(draft.title, 'input.title', MAX_NAME_LENGTH),
    kind: draft.kind,
    pointsCost,
    salePointsCost: sale?.salePointsCost ?? null,
    saleStartsAt: sale?.saleStartsAt ?? null,
    saleEndsAt: sale?.saleEndsAt ?? null,
    stock: intInRange(draft.stock, 'input.stock', 0, 2_147_483_647),
    validFrom,
    validUntil,
    terms: requiredText(draft.terms, 'input.terms', MAX_TERMS_LENGTH),
  };
}
