// Proves aggregate reports sum only month × category cells of at least k people, so no figure, nor a difference of two reports, describes fewer than k.
import { describe, expect, it } from 'vitest';
import { cellKey } from './groupSizes.ts';
import { groupTooSmall, publishedCells, shownMerchantCells } from './kAnonymity.ts';

describe('publishedCells', () => {
  const row = (month: string, category: string, co2eGrams: number) => ({ month, category, co2eGrams });
  const rows = [row('2026-01', 'LED', 10), row('2026-01', 'WATER', 20), row('2026-02', 'LED', 30), row('2026-03', 'BAG', 40)];
  const sizes = new Map([
    [cellKey('2026-01', 'LED'), 25],
    [cellKey('2026-01', 'WATER'), 3],
    [cellKey('2026-02', 'LED'), 10],
  ]);

  it('keeps the rows of cells of k people or more, and drops small cells and cells without a size', () => {
    expect(publishedCells(rows, sizes, 10)).toEqual([row('2026-01', 'LED', 10), row('2026-02', 'LED', 30)]);
  });

  it('gives two periods a month apart totals that differ only by whole published cells', () => {
    const sum = (rs: { co2eGrams: number }[]) => rs.reduce((a, r) => a + r.co2eGrams, 0);
    const january = publishedCells(rows.filter((r) => r.month === '2026-01'), sizes, 10);
    const untilMarch = publishedCells(rows, sizes, 10);
    expect(sum(untilMarch) - sum(january)).toBe(30);
  });
});

describe('shownMerchantCells', () => {
  const cell = (merchant: string, people: number, rest: number, month = '2026-01', category = 'LED') => ({ month, category, merchant, people, rest });

  it('shows every large merchant cell when the rest of the platform cell is empty or large', () => {
    expect(shownMerchantCells([cell('A', 20, 0), cell('B', 12, 0)], 10)).toEqual(new Set(['2026-01|LED|A', '2026-01|LED|B']));
    expect(shownMerchantCells([cell('A', 20, 15)], 10)).toEqual(new Set(['2026-01|LED|A']));
  });

  it('hides the smallest large cell too when the rest holds some people but fewer than k', () => {
    // A: 20, B: 12, and one customer elsewhere: platform − A − B would be that one customer.
    expect(shownMerchantCells([cell('A', 20, 1), cell('B', 12, 1)], 10)).toEqual(new Set(['2026-01|LED|A']));
    // Alone, the merchant is hidden: platform − A would be the one customer.
    expect(shownMerchantCells([cell('A', 20, 1)], 10)).toEqual(new Set());
  });

  it('decides each month × category on its own', () => {
    expect(shownMerchantCells([cell('A', 20, 1), cell('A', 20, 0, '2026-02')], 10)).toEqual(new Set(['2026-02|LED|A']));
  });
});

describe('groupTooSmall', () => {
  it('refuses 1 to k-1 people and allows none or k', () => {
    expect([0, 1, 9, 10].map((n) => groupTooSmall(n, 10))).toEqual([false, true, true, false]);
  });
});
