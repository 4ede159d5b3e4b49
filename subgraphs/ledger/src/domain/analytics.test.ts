// Proves the analysts' flows, budgets, holdings and tiers hide small groups and everything that would reveal them.
import { describe, expect, it } from 'vitest';
import { budgetUse, flowReport, membersByTier, outstanding, type FlowGroupRow } from './analytics.ts';

const K = 5;
const row = (level: FlowGroupRow['level'], people: number, amount: number, at: Partial<FlowGroupRow> = {}): FlowGroupRow => ({
  type: 'REDEMPTION', asset: 'POINTS', merchantId: null, category: null, month: null, level, amount, transactions: people, people, ...at,
});

/** Merchants m1 (2 people, FRUIT), m2 (6, RAIL), m3 (8, HOTEL), all in one month. */
const redemptions = (cells: [string, string][] = [['m1', '2026-01'], ['m2', '2026-01'], ['m3', '2026-01']]): FlowGroupRow[] => [
  row('total', 12, -1600),
  row('merchant', 2, -200, { merchantId: 'm1', category: 'FRUIT' }),
  row('merchant', 6, -600, { merchantId: 'm2', category: 'RAIL' }),
  row('merchant', 8, -800, { merchantId: 'm3', category: 'HOTEL' }),
  row('category', 2, -200, { category: 'FRUIT' }),
  row('category', 6, -600, { category: 'RAIL' }),
  row('category', 8, -800, { category: 'HOTEL' }),
  ...[...new Set(cells.map(([, m]) => m))].map((month) => row('month', 6, -800, { month })),
  ...cells.map(([merchantId, month]) => row('cell', 1, -1, { merchantId, month })),
];

describe('flowReport', () => {
  it('shows positive figures, suppresses a small merchant and category with the smallest large one', () => {
    const r = flowReport(redemptions(), 'REDEMPTION', 'POINTS', -1, K);
    expect(r.total).toEqual({ suppressed: false, members: 12, transactions: 12, points: 1600 });
    expect(r.byMerchant.map((m) => [m.merchantId, m.suppressed, m.points])).toEqual([['m1', true, null], ['m2', true, null], ['m3', false, 800]]);
    expect(r.byCategory.map((c) => [c.category, c.suppressed])).toEqual([['FRUIT', true], ['HOTEL', false], ['RAIL', true]]);
    expect(r.byMonth).toEqual([{ month: '2026-01', suppressed: false, members: 6, transactions: 6, points: 800 }]);
  });

  it('suppresses everything when the whole flow is behind fewer than k people', () => {
    const r = flowReport([row('total', 3, -90), row('month', 3, -90, { month: '2026-01' })], 'REDEMPTION', 'POINTS', -1, K);
    expect(r.total.suppressed).toBe(true);
    expect(r.byMonth.every((m) => m.suppressed && m.points === null)).toBe(true);
  });

  it('hides the months when merchants and months split into islands', () => {
    const r = flowReport(redemptions([['m1', '2026-01'], ['m2', '2026-02'], ['m3', '2026-02']]), 'REDEMPTION', 'POINTS', -1, K);
    expect(r.byMonth.map((m) => m.suppressed)).toEqual([true, true]);
  });

  it('answers zeros for a type that has no transactions yet', () => {
    expect(flowReport([], 'EXPIRY', 'POINTS', -1, K)).toEqual({
      transactionType: 'EXPIRY', asset: 'POINTS', total: { suppressed: false, members: 0, transactions: 0, points: 0 }, byMerchant: [], byCategory: [], byMonth: [],
    });
  });
});

describe('outstanding', () => {
  it('hides held points when any flow that changed them is behind fewer than k people', () => {
    const flows = [row('total', 40, 5000, { type: 'PURCHASE_EARN' }), row('total', 2, -30, { type: 'ADJUSTMENT' }), row('total', 2, 0, { type: 'TRANSFER' })];
    expect(outstanding([{ asset: 'POINTS', points: 4970, people: 40 }], flows, K)).toEqual([{ asset: 'POINTS', suppressed: true, members: null, points: null }]);
    expect(outstanding([{ asset: 'POINTS', points: 5000, people: 40 }], flows.filter((f) => f.type !== 'ADJUSTMENT'), K)).toEqual([
      { asset: 'POINTS', suppressed: false, members: 40, points: 5000 },
    ]);
  });
});

describe('budgetUse', () => {
  it('suppresses a budget whose merchant is hidden in a flow that drew on it (not in others), shows funding always, leaves empty budgets alone', () => {
    const report = flowReport(redemptions(), 'REDEMPTION', 'POINTS', -1, K);
    const rows = [
      { merchantId: 'm1', asset: 'POINTS', funded: 1000, used: 400, people: 30, types: ['REDEMPTION'] },
      { merchantId: 'm3', asset: 'POINTS', funded: 1000, used: 250, people: 40, types: ['REDEMPTION'] },
      { merchantId: 'm2', asset: 'POINTS', funded: 1000, used: 250, people: 40, types: ['PURCHASE_EARN'] },
      { merchantId: 'm9', asset: 'POINTS', funded: 500, used: 0, people: 0, types: null },
    ];
    expect(budgetUse(rows, [report], K)).toEqual([
      { merchantId: 'm1', asset: 'POINTS', funded: 1000, suppressed: true, members: null, used: null, remaining: null, usedShare: null },
      { merchantId: 'm2', asset: 'POINTS', funded: 1000, suppressed: false, members: 40, used: 250, remaining: 750, usedShare: 0.25 },
      { merchantId: 'm3', asset: 'POINTS', funded: 1000, suppressed: false, members: 40, used: 250, remaining: 750, usedShare: 0.25 },
      { merchantId: 'm9', asset: 'POINTS', funded: 500, suppressed: false, members: 0, used: 0, remaining: 500, usedShare: 0 },
    ]);
  });
});

describe('membersByTier', () => {
  it('lists every tier, hiding a small one with the smallest large one', () => {
    const r = membersByTier([{ tier: 'SEED', people: 100 }, { tier: 'SPROUT', people: 20 }, { tier: 'TREE', people: 3 }], ['SEED', 'SPROUT', 'TREE', 'FOREST'], K);
    expect(r.total).toEqual({ suppressed: false, members: 123 });
    expect(r.byTier).toEqual([
      { tier: 'SEED', suppressed: false, members: 100 },
      { tier: 'SPROUT', suppressed: true, members: null },
      { tier: 'TREE', suppressed: true, members: null },
      { tier: 'FOREST', suppressed: false, members: 0 },
    ]);
  });
});
