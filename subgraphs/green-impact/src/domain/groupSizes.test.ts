// Proves the per-day bounds decide k-anonymity exactly as distinct counts would, for the report and each month × category cell, asking for an exact count only where they cannot.
import { describe, expect, it } from 'vitest';
import { cellKey, groupSizesOf, sizeBounds, unsettledBuckets, type DayCount } from './groupSizes.ts';

const K = 10;
const day = (category: string, d: string, people: number): DayCount => ({ category, day: d, people });

describe('sizeBounds', () => {
  it('bounds a cell by its busiest day and by the sum of its days', () => {
    const b = sizeBounds([day('ENERGY', '2026-01-03', 4), day('ENERGY', '2026-01-09', 7), day('ENERGY', '2026-02-01', 3), day('WATER', '2026-02-01', 2)]);
    expect(b.byCell.get(cellKey('2026-01', 'ENERGY'))).toEqual({ atLeast: 7, atMost: 11 });
    expect(b.byCell.get(cellKey('2026-02', 'ENERGY'))).toEqual({ atLeast: 3, atMost: 3 });
    expect(b.byCell.get(cellKey('2026-02', 'WATER'))).toEqual({ atLeast: 2, atMost: 2 });
    expect(b.total).toEqual({ atLeast: 7, atMost: 16 });
    expect(b.categories).toEqual(['ENERGY', 'WATER']);
  });
});

describe('unsettledBuckets', () => {
  it('leaves nothing open when one day has k people and the rest are few', () => {
    const b = sizeBounds([day('ENERGY', '2026-01-03', 12), day('WATER', '2026-01-04', 3)]);
    expect(unsettledBuckets(b, K, '2026-01-01', '2026-03-01')).toEqual([]);
  });

  it('opens a cell whose days are each under k but together reach it, clipped to its month and the period', () => {
    const b = sizeBounds([day('ENERGY', '2026-01-20', 6), day('ENERGY', '2026-01-30', 6)]);
    expect(unsettledBuckets(b, K, '2026-01-15', '2026-02-10')).toEqual([
      { key: 'total', categories: ['ENERGY'], fromDay: '2026-01-15', toDay: '2026-02-10' },
      { key: 'cell:2026-01|ENERGY', categories: ['ENERGY'], fromDay: '2026-01-15', toDay: '2026-02-01' },
    ]);
  });
});

describe('groupSizesOf', () => {
  it('uses the exact count of an open cell, and person-days for any group of k or more', () => {
    const b = sizeBounds([day('ENERGY', '2026-01-03', 12), day('ENERGY', '2026-01-04', 5), day('WATER', '2026-01-05', 5), day('WATER', '2026-01-06', 5)]);
    const exact = new Map([['cell:2026-01|WATER', 6]]);
    const sizes = groupSizesOf(b, K, (key) => exact.get(key));
    expect(sizes.byCell.get(cellKey('2026-01', 'ENERGY'))).toBe(17);
    expect(sizes.byCell.get(cellKey('2026-01', 'WATER'))).toBe(6);
    expect(sizes.total).toBe(27);
  });

  it('refuses to guess an open group it has no count for', () => {
    const b = sizeBounds([day('WATER', '2026-01-05', 5), day('WATER', '2026-01-06', 5)]);
    expect(() => groupSizesOf(b, K, () => undefined)).toThrow(/open bucket/);
  });
});
