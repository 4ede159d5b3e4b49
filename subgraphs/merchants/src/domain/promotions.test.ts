// Proves what a promotion and an earn rule version must state to be published: bounds, windows, eligibility lists, category rates and expiry terms.
import { DAY_MS } from '@greenpoints/common';
import { describe, expect, it } from 'vitest';
import { checkEarnRule } from './earnRules.ts';
import { checkPromotion } from './promotions.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const later = (days: number) => new Date(NOW.getTime() + days * DAY_MS);
const promotion = { title: ' 敬老 ×15 ', multiplierPercent: 1_500, startsAt: later(1), endsAt: later(8), budgetPoints: 1_000 };
const argumentOf = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code?: string; details?: { argument?: string } }).details?.argument ?? (e as { code?: string }).code;
  }
};

describe('checkPromotion', () => {
  it('admits a promotion starting now or later, trims its title, stores age bands in the users form and drops repeats', () => {
    expect(checkPromotion({ ...promotion, ageBands: ['AGE_60_PLUS', 'AGE_60_PLUS'], tiers: ['TREE'], productCategories: ['TICKET', 'TICKET'] }, NOW)).toEqual({
      title: '敬老 ×15', multiplierPercent: 1_500, startsAt: later(1), endsAt: later(8), tiers: ['TREE'], ageBands: ['60_PLUS'],
      productCategories: ['TICKET'], stackable: false, budgetPoints: 1_000,
    });
    expect(checkPromotion({ ...promotion, startsAt: NOW }, NOW).startsAt).toEqual(NOW);
  });

  it('names the argument it refuses', () => {
    expect(argumentOf(() => checkPromotion({ ...promotion, startsAt: new Date(NOW.getTime() - 1) }, NOW))).toBe('input.startsAt');
    expect(argumentOf(() => checkPromotion({ ...promotion, endsAt: promotion.startsAt }, NOW))).toBe('input.endsAt');
    expect(argumentOf(() => checkPromotion({ ...promotion, endsAt: later(368) }, NOW))).toBe('input.endsAt');
    expect(argumentOf(() => checkPromotion({ ...promotion, multiplierPercent: 100 }, NOW))).toBe('input.multiplierPercent');
    expect(argumentOf(() => checkPromotion({ ...promotion, multiplierPercent: 2_001 }, NOW))).toBe('input.multiplierPercent');
    expect(argumentOf(() => checkPromotion({ ...promotion, budgetPoints: 0 }, NOW))).toBe('input.budgetPoints');
    expect(argumentOf(() => checkPromotion({ ...promotion, productCategories: ['Fruit'] }, NOW))).toBe('input.productCategories');
    expect(argumentOf(() => checkPromotion({ ...promotion, productCategories: Array.from({ length: 21 }, (_, i) => `C${i}`) }, NOW))).toBe('input.productCategories');
  });
});

describe('checkEarnRule', () => {
  const rule = { pointsPerYuan: 2, pendingDays: 7, effectiveFrom: later(1) };
  it('keeps category rates as a map and defaults the expiry term to a year', () => {
    expect(checkEarnRule({ ...rule, categoryOverrides: [{ category: 'FRESH_FRUIT', pointsPerYuan: 5 }] })).toMatchObject({
      categoryPointsPerYuan: { FRESH_FRUIT: 5 }, pointsValidDays: 365, perOrderCap: null,
    });
  });
  it('refuses a category twice, a term outside 90–1830 days and a rate above 1000', () => {
    const twice = [{ category: 'A', pointsPerYuan: 1 }, { category: 'A', pointsPerYuan: 2 }];
    expect(argumentOf(() => checkEarnRule({ ...rule, categoryOverrides: twice }))).toBe('input.categoryOverrides.category');
    expect(argumentOf(() => checkEarnRule({ ...rule, pointsValidDays: 89 }))).toBe('input.pointsValidDays');
    expect(argumentOf(() => checkEarnRule({ ...rule, pointsValidDays: 1_831 }))).toBe('input.pointsValidDays');
    expect(argumentOf(() => checkEarnRule({ ...rule, categoryOverrides: [{ category: 'A', pointsPerYuan: 1_001 }] }))).toBe('input.categoryOverrides.pointsPerYuan');
  });
});
