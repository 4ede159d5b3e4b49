// Proves green reports are exact sums of their records, grouped by category and month, with tree-year equivalents.
import { describe, expect, it } from 'vitest';
import { buildReport, impactOfLine } from './report.ts';

const row = (category: string, month: string, co2eGrams: number) => ({
  category, month, co2eGrams, waterLitres: 1, plasticGrams: 2, greenPoints: 10, records: 1,
});

describe('buildReport', () => {
  it('sums totals and groups by category and month in order', () => {
    const report = buildReport([row('LED_LIGHTING', '2026-02', 30_000), row('WATER_SAVING', '2026-01', 6_000), row('LED_LIGHTING', '2026-01', 30_000)], 6);
    expect(report.totals).toEqual({ co2eGrams: 66_000, co2eKg: 66, waterLitres: 3, plasticGrams: 6, greenPoints: 30, records: 3 });
    expect(report.byCategory.map((c) => [c.category, c.totals.co2eGrams])).toEqual([['LED_LIGHTING', 60_000], ['WATER_SAVING', 6_000]]);
    expect(report.monthly.map((m) => m.month)).toEqual(['2026-01', '2026-02']);
    expect(report.treeYears).toBe(11);
  });
  it('reports zeros for no records', () => {
    expect(buildReport([], 6).totals.records).toBe(0);
  });
});

describe('impactOfLine', () => {
  it('multiplies per-unit impact by quantity and keeps the factor version', () => {
    const profile = { category: 'LED_LIGHTING', co2eGramsPerUnit: 29_900, waterLitresPerUnit: 0, plasticGramsPerUnit: 0, greenPointsPerUnit: 20, factorKey: 'grid_cn', factorVersion: 2022 };
    expect(impactOfLine(profile, 3)).toMatchObject({ co2eGrams: 89_700, greenPoints: 60, factorKey: 'grid_cn', factorVersion: 2022 });
  });
});
