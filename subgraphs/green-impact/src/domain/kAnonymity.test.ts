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
  const large = (merchant: string, people: number, month = '2026-01') => ({ large: true, month, category: 'LED', merchant, people, exposed: false });
  const rest = (people: number, exposed = false, month = '2026-01') => ({ large: false, month, category: 'LED', merchant: '', people, exposed });

  it('shows every large merchant cell, and the platform cell whole when its rest is nobody or k people', () => {
    const d = shownMerchantCells([large('A', 20), large('B', 12), large('A', 20, '2026-02'), rest(15, false, '2026-02')], 10);
    expect(d.shown).toEqual(new Set(['2026-01|LED|A', '2026-01|LED|B', '2026-02|LED|A']));
    expect(d.partial).toEqual(new Map());
  });

  it('leaves a rest of 1 to k-1 people out of the platform cell, each merchant still shown', () => {
    // A: 20, B: 12, one customer elsewhere: the platform shows A and B only, so platform − A − B is nothing.
    const d = shownMerchantCells([large('A', 20), large('B', 12), rest(1), large('A', 20, '2026-02')], 10);
    expect(d.shown).toEqual(new Set(['2026-01|LED|A', '2026-01|LED|B', '2026-02|LED|A']));
    expect(d.partial).toEqual(new Map([['2026-01|LED', ['A', 'B']]]));
  });

  it('leaves out a rest that one of its merchants could take its own part from, and a cell of such a rest alone', () => {
    // A rest of 10 where one small merchant's part out leaves 1 to 9: exposed.
    expect(shownMerchantCells([large('A', 20), rest(10, true)], 10).partial).toEqual(new Map([['2026-01|LED', ['A']]]));
    // No large merchant: the whole cell is the rest, and it is not shown.
    expect(shownMerchantCells([rest(12, true)], 10)).toEqual({ shown: new Set(), partial: new Map([['2026-01|LED', []]]) });
    expect(shownMerchantCells([rest(12, false)], 10)).toEqual({ shown: new Set(), partial: new Map() });
  });
});

describe('groupTooSmall', () => {
  it('refuses 1 to k-1 people and allows none or k', () => {
    expect([0, 1, 9, 10].map((n) => groupTooSmall(n, 10))).toEqual([false, true, true, false]);
  });
});
