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

  it('shows every large merchant cell, and the platform cell whole when its rest is nobody or k people', () => {
    const d = shownMerchantCells([cell('A', 20, 0), cell('B', 12, 0), cell('A', 20, 15, '2026-02')], 10);
    expect(d.shown).toEqual(new Set(['2026-01|LED|A', '2026-01|LED|B', '2026-02|LED|A']));
    expect(d.partial).toEqual(new Map());
  });

  it('leaves a rest of 1 to k-1 people out of the platform cell, each merchant still shown', () => {
    // A: 20, B: 12, one customer elsewhere: the platform shows A and B only, so platform − A − B is nothing.
    const d = shownMerchantCells([cell('A', 20, 1), cell('B', 12, 1), cell('A', 20, 0, '2026-02')], 10);
    expect(d.shown).toEqual(new Set(['2026-01|LED|A', '2026-01|LED|B', '2026-02|LED|A']));
    expect(d.partial).toEqual(new Map([['2026-01|LED', ['A', 'B']]]));
  });
});

describe('groupTooSmall', () => {
  it('refuses 1 to k-1 people and allows none or k', () => {
    expect([0, 1, 9, 10].map((n) => groupTooSmall(n, 10))).toEqual([false, true, true, false]);
  });
});
