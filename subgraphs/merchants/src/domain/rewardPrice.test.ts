// Proves a reward costs its sale price only inside the sale window (start inclusive, end exclusive).
import { describe, expect, it } from 'vitest';
import { currentPointsCost } from './rewardPrice.ts';

const reward = {
  pointsCost: 500,
  salePointsCost: 400,
  saleStartsAt: new Date('2026-06-01T00:00:00Z'),
  saleEndsAt: new Date('2026-09-01T00:00:00Z'),
};

describe('currentPointsCost', () => {
  it('uses the sale price inside the window', () => {
    expect(currentPointsCost(reward, new Date('2026-06-01T00:00:00Z'))).toBe(400);
    expect(currentPointsCost(reward, new Date('2026-08-31T23:59:59Z'))).toBe(400);
  });
  it('uses the regular price outside it, and when there is no sale', () => {
    expect(currentPointsCost(reward, new Date('2026-09-01T00:00:00Z'))).toBe(500);
    expect(currentPointsCost(reward, new Date('2026-05-31T00:00:00Z'))).toBe(500);
    expect(currentPointsCost({ ...reward, salePointsCost: null }, new Date('2026-07-01T00:00:00Z'))).toBe(500);
  });
});
