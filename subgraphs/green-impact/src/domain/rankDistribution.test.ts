// Proves the rank distribution counts members below a total exactly.
import { describe, expect, it } from 'vitest';
import { distributionOf, membersBelow } from './rankDistribution.ts';

describe('membersBelow', () => {
  const d = distributionOf([
    { v: 0, n: 5 },
    { v: 10, n: 2 },
    { v: 25, n: 3 },
  ]);
  it('counts members with a strictly smaller total', () => {
    expect(d.members).toBe(10);
    expect([-1, 0, 1, 10, 11, 25, 26].map((v) => membersBelow(d, v))).toEqual([0, 0, 5, 5, 7, 7, 10]);
  });
  it('is zero for an empty distribution', () => {
    expect(membersBelow(distributionOf([]), 100)).toBe(0);
  });
});
