// Proves the analysts' green figures hide small categories and months, and a second group with them.
import { describe, expect, it } from 'vitest';
import { impactAnalytics, type ImpactGroupRow } from './analytics.ts';

const row = (level: ImpactGroupRow['level'], people: number, at: Partial<ImpactGroupRow> = {}): ImpactGroupRow => ({
  category: null, month: null, level, co2eGrams: people * 100, waterLitres: 0, plasticGrams: 0, greenPoints: people, records: people, people, ...at,
});

describe('impactAnalytics', () => {
  it('suppresses a small category with the smallest large one, and shows the rest', () => {
    const r = impactAnalytics(
      [
        row('total', 40),
        row('category', 2, { category: 'WATER_SAVING' }),
        row('category', 12, { category: 'LED_LIGHTING' }),
        row('category', 30, { category: 'REUSABLE_BAG' }),
        row('month', 40, { month: '2026-01' }),
        ...['WATER_SAVING', 'LED_LIGHTING', 'REUSABLE_BAG'].map((category) => row('cell', 1, { category, month: '2026-01' })),
      ],
      5,
    );
    expect(r.total).toMatchObject({ suppressed: false, members: 40, co2eGrams: 4000 });
    expect(r.byCategory.map((c) => [c.category, c.suppressed, c.co2eGrams])).toEqual([
      ['LED_LIGHTING', true, null],
      ['REUSABLE_BAG', false, 3000],
      ['WATER_SAVING', true, null],
    ]);
    expect(r.byMonth.map((m) => m.suppressed)).toEqual([false]);
  });

  it('hides the months when categories and months split into islands', () => {
    const r = impactAnalytics(
      [row('total', 20), row('category', 10, { category: 'A' }), row('category', 10, { category: 'B' }), row('month', 10, { month: '2026-01' }), row('month', 10, { month: '2026-02' }),
        row('cell', 10, { category: 'A', month: '2026-01' }), row('cell', 10, { category: 'B', month: '2026-02' })],
      5,
    );
    expect(r.byMonth.map((m) => m.suppressed)).toEqual([true, true]);
    expect(r.byCategory.map((c) => c.suppressed)).toEqual([false, false]);
  });
});
