// Proves refunds take back exactly what was returned, by line and in full, never more than a line holds.
import { describe, expect, it } from 'vitest';
import { planReversals, type OriginalRecord } from './reversal.ts';

const line = (lineNo: number, sku: string, quantity: number, perUnit: { co2e: number; points: number }, reversed = 0): OriginalRecord => ({
  id: `r${lineNo}`, lineNo, userId: 'u', merchantId: 'm', sku, category: 'LED_LIGHTING', quantity,
  co2eGrams: perUnit.co2e * quantity, waterLitres: 0, plasticGrams: 0, greenPoints: perUnit.points * quantity,
  factorKey: 'grid_cn', factorVersion: 2022, profileVersion: 1, reversedQuantity: reversed, reversedGreenPoints: reversed * perUnit.points,
});
const brief = (rs: ReturnType<typeof planReversals>) => rs.map((r) => [r.original.id, r.quantity, r.co2eGrams, r.greenPoints]);

describe('planReversals', () => {
  const led = { co2e: 29_966, points: 20 };
  it('takes the refunded quantity of a SKU from its lines in order, at the per-unit figures', () => {
    const originals = [line(1, 'LED', 2, led), line(3, 'LED', 3, led)];
    expect(brief(planReversals(originals, { full: false, lines: [{ sku: 'LED', quantity: 3, greenPoints: 60 }] }))).toEqual([
      ['r1', 2, 59_932, 40],
      ['r3', 1, 29_966, 20],
    ]);
  });
  it('takes back only what is left after earlier refunds, and never more than was bought', () => {
    const originals = [line(1, 'LED', 2, led, 1)];
    expect(brief(planReversals(originals, { full: false, lines: [{ sku: 'LED', quantity: 5, greenPoints: 100 }] }))).toEqual([['r1', 1, 29_966, 20]]);
    expect(brief(planReversals(originals, { full: true, lines: [] }))).toEqual([['r1', 1, 29_966, 20]]);
  });
  it('merges two refunded lines of one SKU that fall on the same original line', () => {
    const originals = [line(1, 'LED', 4, led)];
    const lines = [{ sku: 'LED', quantity: 1, greenPoints: 20 }, { sku: 'LED', quantity: 2, greenPoints: 40 }];
    expect(brief(planReversals(originals, { full: false, lines }))).toEqual([['r1', 3, 89_898, 60]]);
  });
  it('ignores lines that were not green', () => {
    expect(planReversals([line(1, 'LED', 1, led)], { full: false, lines: [{ sku: 'KETTLE', quantity: 1, greenPoints: 0 }] })).toEqual([]);
  });
});
