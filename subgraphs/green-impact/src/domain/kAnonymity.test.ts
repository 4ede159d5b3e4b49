// Proves small groups are hidden from aggregate breakdowns, with one more bucket so the totals cannot reveal them.
import { describe, expect, it } from 'vitest';
import { groupTooSmall, publishableBuckets } from './kAnonymity.ts';

const sizes = (o: Record<string, number>) => new Map(Object.entries(o));

describe('publishableBuckets', () => {
  it('shows everything when every bucket holds at least k people', () => {
    expect(publishableBuckets(sizes({ A: 10, B: 25 }), 10)).toEqual(new Set(['A', 'B']));
  });
  it('hides small buckets and the smallest large one with them', () => {
    expect(publishableBuckets(sizes({ A: 1, B: 12, C: 30 }), 10)).toEqual(new Set(['C']));
  });
  it('hides everything when every bucket is small', () => {
    expect(publishableBuckets(sizes({ A: 3, B: 4 }), 10)).toEqual(new Set());
  });
});

describe('groupTooSmall', () => {
  it('refuses 1 to k-1 people and allows none or k', () => {
    expect([0, 1, 9, 10].map((n) => groupTooSmall(n, 10))).toEqual([false, true, true, false]);
  });
});
