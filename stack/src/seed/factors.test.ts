// Proves every seeded factor is sourced (value, unit, year, source) and the seeded profiles equal the hand-computed figures.
import { checkFactor } from '@greenpoints/green-impact/domain/factor';
import { describe, expect, it } from 'vitest';
import { EMISSION_FACTORS } from './factors.ts';
import { GREEN_PROFILES } from './greenProfiles.ts';

const profile = (sku: string) => GREEN_PROFILES.find((p) => p.sku === sku)!;

describe('seeded emission factors', () => {
  it('each has a positive exact value, a unit, a year and a public source (a factor without one is not seeded)', () => {
    for (const f of EMISSION_FACTORS) {
      expect(() => checkFactor(f), `${f.key}@${f.version}`).not.toThrow();
      expect(f.source.length, `${f.key} source`).toBeGreaterThanOrEqual(10);
    }
  });
  it("holds China's 2022 national and regional grid factors as MEE and NBS published them on 2024-12-20", () => {
    const v = (key: string) => EMISSION_FACTORS.find((f) => f.key === key && f.version === 2022)?.value;
    expect([v('grid_cn'), v('grid_north'), v('grid_northeast'), v('grid_east'), v('grid_central'), v('grid_northwest'), v('grid_south'), v('grid_southwest')])
      .toEqual(['0.5366', '0.6776', '0.5564', '0.5617', '0.5395', '0.5857', '0.3869', '0.2268']);
    expect(EMISSION_FACTORS.find((f) => f.key === 'grid_cn' && f.version === 2022)?.publishedOn).toBe('2024-12-20');
  });
  it('has one entry per key and version, and every factor a profile names exists', () => {
    const ids = EMISSION_FACTORS.map((f) => `${f.key}@${f.version}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of GREEN_PROFILES) for (const ref of p.factors) expect(ids, p.sku).toContain(`${ref.key}@${ref.version}`);
  });
});

describe('seeded green profiles, computed by hand', () => {
  it('LED: (60 − 9) W × 3 h × 365 = 55.845 kWh × 0.5366 = 29,966 g CO2e', () => {
    expect(profile('APP-LED-9W').co2eGramsPerUnit).toBe(29_966);
  });
  it('WaterSense showerhead: 2,700 gal = 10,221 L and 330 kWh × 0.5366 = 177,078 g', () => {
    expect(profile('APP-SHOWER-WS')).toMatchObject({ waterLitresPerUnit: 10_221, co2eGramsPerUnit: 177_078 });
  });
  it('aerator: 0.7 gal/min × 3.785 × 5 min × 365 = 4,836 L, no CO2e without a sourced water factor', () => {
    expect(profile('APP-AERATOR')).toMatchObject({ waterLitresPerUnit: 4_836, co2eGramsPerUnit: 0, factorKey: null });
  });
});
