// Proves the earning arithmetic: integer points from fen, category rates, tier multipliers, promotions (eligibility, stacking, the bound, budgets), per-order caps, green points per unit, and lot dates from the rule's term.
import { describe, expect, it } from 'vitest';
import { computeEarning, lotDates, MAX_PROMOTION_MULTIPLIER_PERCENT, type EarningInput, type PromotionTerms } from './earning.ts';
import { tierFor } from './tier.ts';

const rule = { version: 1, pointsPerYuan: 1, pendingDays: 7, perOrderCap: null, categoryPointsPerYuan: {}, pointsValidDays: 365 };
const seed = { tier: 'SEED', tierMultiplierPercent: 100, ageBand: '18_59' };

function earn(partial: Partial<EarningInput> & { amountMinor: number }) {
  return computeEarning({ rule, earner: seed, lines: [], categoryOf: new Map(), greenPointsPerUnit: new Map(), promotions: [], ...partial });
}
const promo = (id: string, multiplierPercent: number, extra: Partial<PromotionTerms> = {}): PromotionTerms => ({
  id, multiplierPercent, stackable: false, tiers: [], ageBands: [], productCategories: [], remainingPoints: null, ...extra,
});

describe('computeEarning', () => {
  it('earns floor(yuan × rate) and never a fraction of a point', () => {
    expect(earn({ amountMinor: 12_999 }).points).toBe(129);
    expect(earn({ amountMinor: 99 }).points).toBe(0);
  });

  it('applies the tier multiplier, then the per-order cap', () => {
    expect(earn({ amountMinor: 10_000, earner: { ...seed, tierMultiplierPercent: 150 } }).points).toBe(150);
    expect(earn({ amountMinor: 10_000, rule: { ...rule, perOrderCap: 120 }, earner: { ...seed, tierMultiplierPercent: 150 } }).points).toBe(120);
    // Two steps, as before promotions existed: floor(floor(129.99) × 1.1) = 141.
    expect(earn({ amountMinor: 12_999, earner: { ...seed, tierMultiplierPercent: 110 } }).points).toBe(141);
  });

  it('earns each line at its category rate and the rest of the amount at the rule rate, flooring once', () => {
    const fruitRule = { ...rule, pointsPerYuan: 2, categoryPointsPerYuan: { FRESH_FRUIT: 5, BAGS: 0 } };
    const categoryOf = new Map([['MANGO', 'FRESH_FRUIT'], ['BAG', 'BAGS'], ['NUTS', 'SNACKS']]);
    const lines = [
      { sku: 'MANGO', quantity: 3, unitPriceMinor: 2_990 }, // ¥89.70 × 5 = 448.5
      { sku: 'BAG', quantity: 1, unitPriceMinor: 590 }, //     ¥5.90 × 0 = 0
      { sku: 'NUTS', quantity: 1, unitPriceMinor: 1_005 }, // ¥10.05 × 2 = 20.1 (no override: the rule's rate)
    ];
    // ¥200 paid, ¥105.65 on lines: the other ¥94.35 × 2 = 188.7. Total 657.3 → 657.
    expect(earn({ amountMinor: 20_000, rule: fruitRule, lines, categoryOf }).points).toBe(657);
  });

  it('scales the lines down in proportion when they add up to more than was paid', () => {
    const r = { ...rule, pointsPerYuan: 1, categoryPointsPerYuan: { A: 10 } };
    const categoryOf = new Map([['X', 'A']]);
    // Lines ¥200 (¥100 at 10/yuan, ¥100 at 1/yuan), paid ¥100: ¥50 at 10 + ¥50 at 1 = 550.
    const lines = [{ sku: 'X', quantity: 1, unitPriceMinor: 10_000 }, { sku: 'Y', quantity: 1, unitPriceMinor: 10_000 }];
    expect(earn({ amountMinor: 10_000, rule: r, lines, categoryOf }).points).toBe(550);
  });

  it('adds green points per unit of green SKUs only', () => {
    const earning = earn({
      amountMinor: 5_000,
      lines: [{ sku: 'LED-9W', quantity: 3, unitPriceMinor: 1_000 }, { sku: 'CHIPS', quantity: 1, unitPriceMinor: 2_000 }],
      greenPointsPerUnit: new Map([['LED-9W', 20]]),
    });
    expect(earning.greenPoints).toBe(60);
    expect(earning.lines.map((l) => l.greenPoints)).toEqual([60, 0]);
  });
});

describe('promotions', () => {
  it('multiplies the points of an eligible purchase and charges the bonus to the promotion', () => {
    const e = earn({ amountMinor: 10_000, earner: { ...seed, tierMultiplierPercent: 110 }, promotions: [promo('p1', 200)] });
    // tiered = floor(100 × 1.1) = 110; bonus = 100 × 1.1 × (2 − 1) = 110.
    expect(e.points).toBe(220);
    expect(e.promotionIds).toEqual(['p1']);
    expect(e.promotionPoints.get('p1')).toBe(110);
  });

  it('applies only to the tiers, age bands and product categories it names', () => {
    const senior = promo('rail60', 1_500, { ageBands: ['60_PLUS'] });
    expect(earn({ amountMinor: 10_000, promotions: [senior] }).points).toBe(100);
    expect(earn({ amountMinor: 10_000, earner: { ...seed, ageBand: '60_PLUS' }, promotions: [senior] }).points).toBe(1_500);
    expect(earn({ amountMinor: 10_000, earner: { ...seed, ageBand: null }, promotions: [senior] }).points).toBe(100);
    const forest = promo('forest', 300, { tiers: ['FOREST'] });
    expect(earn({ amountMinor: 10_000, promotions: [forest] }).promotionIds).toEqual([]);
    // Only the fruit line is doubled: ¥60 of fruit earns 60 + 60; the other ¥40 earns 40.
    const fruit = promo('fruit', 200, { productCategories: ['FRESH_FRUIT'] });
    const e = earn({ amountMinor: 10_000, lines: [{ sku: 'M', quantity: 2, unitPriceMinor: 3_000 }], categoryOf: new Map([['M', 'FRESH_FRUIT']]), promotions: [fruit] });
    expect(e.points).toBe(160);
    expect(e.promotionPoints.get('fruit')).toBe(60);
  });

  it('takes the best non-stackable promotion alone, multiplies stackable ones, and picks whichever gives more', () => {
    expect(earn({ amountMinor: 10_000, promotions: [promo('a', 200), promo('b', 300)] })).toMatchObject({ points: 300, promotionIds: ['b'] });
    const stacked = earn({ amountMinor: 10_000, promotions: [promo('s1', 150, { stackable: true }), promo('s2', 150, { stackable: true })] });
    expect(stacked).toMatchObject({ points: 225, promotionIds: ['s1', 's2'] });
    expect(stacked.promotionPoints).toEqual(new Map([['s1', 125], ['s2', 125]]));
    const mixed = [promo('s1', 150, { stackable: true }), promo('s2', 150, { stackable: true }), promo('n', 200)];
    expect(earn({ amountMinor: 10_000, promotions: mixed })).toMatchObject({ points: 225, promotionIds: ['s1', 's2'] });
    expect(earn({ amountMinor: 10_000, promotions: [...mixed, promo('big', 400)] })).toMatchObject({ points: 400, promotionIds: ['big'] });
  });

  it(`bounds the promotions' combined multiplier at ${MAX_PROMOTION_MULTIPLIER_PERCENT}%`, () => {
    const many = ['a', 'b', 'c'].map((id) => promo(id, 1_000, { stackable: true }));
    expect(earn({ amountMinor: 10_000, promotions: many }).points).toBe(100 * (MAX_PROMOTION_MULTIPLIER_PERCENT / 100));
  });

  it('drops a promotion whose budget cannot cover its bonus, and chooses again without it', () => {
    const e = earn({ amountMinor: 10_000, promotions: [promo('big', 300, { remainingPoints: 199 }), promo('small', 200, { remainingPoints: 100 })] });
    expect(e).toMatchObject({ points: 200, promotionIds: ['small'] });
    expect(earn({ amountMinor: 10_000, promotions: [promo('big', 300, { remainingPoints: 200 })] }).points).toBe(300);
    expect(earn({ amountMinor: 10_000, promotions: [promo('spent', 300, { remainingPoints: 0 })] })).toMatchObject({ points: 100, promotionIds: [] });
  });

  it('charges only the bonus the per-order cap lets through, and nothing when the cap takes it all', () => {
    const capped = { ...rule, perOrderCap: 150 };
    const e = earn({ amountMinor: 10_000, rule: capped, promotions: [promo('p', 200)] });
    expect(e).toMatchObject({ points: 150, promotionIds: ['p'] });
    expect(e.promotionPoints.get('p')).toBe(50);
    expect(earn({ amountMinor: 20_000, rule: capped, promotions: [promo('p', 200)] })).toMatchObject({ points: 150, promotionIds: [] });
  });
});

describe('lotDates', () => {
  it("makes points spendable after the return window and expire after the rule's term", () => {
    const { availableAt, expiresAt } = lotDates(new Date('2026-01-01T00:00:00Z'), 7);
    expect(availableAt.toISOString()).toBe('2026-01-08T00:00:00.000Z');
    expect(expiresAt.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(lotDates(new Date('2026-01-01T00:00:00Z'), 0, 730).expiresAt.toISOString()).toBe('2028-01-01T00:00:00.000Z');
  });
});

describe('tierFor', () => {
  it('picks the highest tier whose threshold the spend reaches', () => {
    expect(tierFor(0).tier).toBe('SEED');
    expect(tierFor(100_000).tier).toBe('SPROUT');
    expect(tierFor(499_999).tier).toBe('SPROUT');
    expect(tierFor(2_000_000)).toEqual({ tier: 'FOREST', multiplierPercent: 150 });
  });
});
