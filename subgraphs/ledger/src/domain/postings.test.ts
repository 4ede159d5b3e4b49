// Proves every posting set the ledger builds sums to zero per asset, and unbalanced sets are refused.
import { describe, expect, it } from 'vitest';
import { assertBalanced, budgetFundingPostings, purchasePostings } from './postings.ts';

describe('postings', () => {
  it('balances a purchase with points and green points', () => {
    const postings = purchasePostings('u1', 'm1', 120, 30);
    expect(postings).toHaveLength(4);
    expect(postings.reduce((s, p) => s + p.amount, 0)).toBe(0);
  });
  it('omits zero legs', () => {
    expect(purchasePostings('u1', 'm1', 50, 0)).toHaveLength(2);
  });
  it('balances budget funding', () => {
    expect(budgetFundingPostings('m1', 10_000).map((p) => p.amount)).toEqual([-10_000, 10_000]);
  });
  it('refuses postings that do not sum to zero or are not integers', () => {
    const user = { kind: 'USER' as const, ownerId: 'u', asset: 'POINTS' as const };
    expect(() => assertBalanced([{ account: user, amount: 5 }])).toThrow();
    expect(() => assertBalanced([{ account: user, amount: 0.5 }, { account: user, amount: -0.5 }])).toThrow();
  });
});
