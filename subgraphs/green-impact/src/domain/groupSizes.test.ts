// Proves the per-day bounds decide k-anonymity exactly as distinct counts would, asking for an exact count only where they cannot.
import { describe, expect, it } from 'vitest';
import { groupSizesOf, sizeBounds, unsettledBuckets, type DayCount } from './groupSizes.ts';

const K = 10;
const day = (category: string, d: string, people: number): DayCount => ({ category, day: d, people });

describe('sizeBounds', () => {
  it('bounds a bucket by its busiest day and by the sum of its days', () => {
    const b = sizeBounds([day('ENERGY', '2026-01-03', 4), day('ENERGY', '2026-01-09', 7), day('WATER', '2026-02-01', 2)]);
    expect(b.byCategory.get('ENERGY')).toEqual({ atLeast: 7, atMost: 11 });
    expect(b.byMonth.get('2026-01')).toEqual({ atLeast: 7, atMost: 11 });
    expect(b.byMonth.get('2026-02')).toEqual({ atLeast: 2, atMost: 2 });
    expect(b.total).toEqual({ atLeast: 7, atMost: 13 });
    expect(b.categories).toEqual(['ENERGY', 'WATER']);
  });
});

describe('unsettledBuckets', () => {
  it('leaves nothing open when one day has k people and the rest are few', () => {
    const b = sizeBounds([day('ENERGY', '2026-01-03', 12), day('WATER', '2026-01-04', 3)]);
    expect(unsettledBuckets(b, K, '2026-01-01', '2026-03-01')).toEqual([]);
  });

  it('opens a bucket whose days are each under k but together reach it, clipped to the period', () => {
    const b = sizeBounds([day('ENERGY', '2026-01-30', 6), day('ENERGY', '2026-02-02', 6)]);
    expect(unsettledBuckets(b, K, '2026-01-15', '2026-02-10')).toEqual([
      { key: 'total', categories: ['ENERGY'], fromDay: '2026-01-15', toDay: '2026-02-10' },
      { key: 'category:ENERGY', categories: ['ENERGY'], fromDay: '2026-01-15', toDay: '2026-02-10' },
    ]);
    const month = sizeBounds([day('ENERGY', '2026-01-30', 6), day('WATER', '2026-01-31', 6)]);
    expect(unsettledBuckets(month, K, '2026-01-15', '2026-02-10').find((o) => o.key === 'month:2026-01')).toEqual({
      key: 'month:2026-01',
      categories: ['ENERGY', 'WATER'],
      fromDay: '2026-01-15',
      toDay: '2026-02-01',
    });
  });
});

describe('groupSizesOf', () => {
  it('uses the exact count of an open bucket, and person-days for any bucket of k or more', () => {
    const b = sizeBounds([day('ENERGY', '2026-01-03', 12), day('ENERGY', '2026-01-04', 5), day('WATER', '2026-01-05', 5), day('WATER', '2026-01-06', 5)]);
    const exact = new Map([['category:WATER', 6]]);
    const sizes = groupSizesOf(b, K, (key) => exact.get(key));
    expect(sizes.byCategory.get('ENERGY')).toBe(17);
    expect(sizes.byCategory.get('WATER')).toBe(6);
    expect(sizes.total).toBe(27);
  });

  it('refuses to guess an open bucket it has no count for', () => {
    const b = sizeBounds([day('WATER', '2026-01-05', 5), day('WATER', '2026-01-06', 5)]);
    expect(() => groupSizesOf(b, K, () => undefined)).toThrow(/open bucket/);
  });
});
