// Proves settlement positions show each side by its own people, withhold the open month without letting the closed months give it away, and know which totals the flows reveal.
import { describe, expect, it } from 'vitest';
import type { FlowReport } from './analytics.ts';
import { knownGroups, settlementPositions, type SettlementCellRow } from './settlement.ts';

const K = 5;
const cell = (merchantId: string, month: string, issuers: number | null, redeemers: number | null = null): SettlementCellRow => ({
  merchantId, month, issued: (issuers ?? 0) * 100, redeemed: (redeemers ?? 0) * 10, issuers, redeemers, people: Math.max(issuers ?? 0, redeemers ?? 0), settled: false,
});

describe('settlementPositions', () => {
  it('shows issued and redeemed points by their own people; their difference and members only with both', () => {
    const rows = [cell('a', '2026-01', 9, 2), cell('a', '2026-02', 8, 7), cell('b', '2026-01', 9, 6), cell('b', '2026-02', 9, 8)];
    const list = settlementPositions(rows, '2026-03', K);
    const a1 = list.find((p) => p.merchantId === 'a' && p.month === '2026-01')!;
    expect(a1).toMatchObject({ suppressed: true, issuedPoints: 900, redeemedPoints: null, netPoints: null, members: null });
    // The rest of a's redemptions would give a1's away by a's total: hidden with it, as a rectangle.
    expect(list.filter((p) => p.redeemedPoints === null).length).toBe(4);
    expect(list.every((p) => p.issuedPoints !== null)).toBe(true);
  });

  it('shows every figure when every side holds k people', () => {
    const list = settlementPositions([cell('a', '2026-01', 9, 6), cell('b', '2026-01', 7, null)], '2026-02', K);
    expect(list).toEqual([
      { month: '2026-01', merchantId: 'a', settled: false, suppressed: false, members: 9, issuedPoints: 900, redeemedPoints: 60, netPoints: 840 },
      { month: '2026-01', merchantId: 'b', settled: false, suppressed: false, members: 7, issuedPoints: 700, redeemedPoints: 0, netPoints: 700 },
    ]);
  });

  it('lists closed months only, and hides a closed month with the open one so a merchant’s total does not reveal it', () => {
    const rows = [cell('a', '2026-01', 9), cell('a', '2026-02', 8), cell('a', '2026-03', 2), cell('b', '2026-01', 7), cell('b', '2026-02', 12), cell('b', '2026-03', 3)];
    const list = settlementPositions(rows, '2026-03', K);
    expect(list.map((p) => `${p.month}|${p.merchantId}`)).toEqual(['2026-01|a', '2026-01|b', '2026-02|a', '2026-02|b']);
    // One closed month is withheld for both merchants: each merchant's total less its shown month
    // is then the open month and that closed one together.
    const hidden = list.filter((p) => p.issuedPoints === null);
    expect(hidden.map((p) => p.month)).toEqual(['2026-01', '2026-01']);
  });

});

describe('knownGroups', () => {
  const report = (merchants: [string, string, boolean][], totalSuppressed = false): FlowReport => ({
    transactionType: 'REDEMPTION_POST',
    asset: 'POINTS',
    total: { suppressed: totalSuppressed, members: null, transactions: null, points: null },
    byMerchant: merchants.map(([merchantId, category, suppressed]) => ({ merchantId, category, suppressed, members: null, transactions: null, points: null })),
    byCategory: [...new Set(merchants.map(([, c]) => c))].map((category) => ({ category, suppressed: merchants.some(([, c, s]) => c === category && s), members: null, transactions: null, points: null })),
    byMonth: [],
  });

  it('knows shown and absent merchants, and a hidden one that is alone in what the total leaves over', () => {
    expect(knownGroups(report([['a', 'X', false], ['b', 'Y', true]])).row('b')).toBe(true);
    expect(knownGroups(report([['a', 'X', false], ['b', 'Y', true]])).row('nobody')).toBe(true);
  });

  it('does not know hidden merchants that share the remainder', () => {
    const known = knownGroups(report([['a', 'X', false], ['b', 'Y', true], ['c', 'Z', true]]));
    expect([known.row('a'), known.row('b'), known.row('c')]).toEqual([true, false, false]);
    expect(knownGroups(report([['b', 'Y', true]], true)).total).toBe(false);
  });
});
