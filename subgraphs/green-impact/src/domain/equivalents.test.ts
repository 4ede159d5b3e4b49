// Proves each plain equivalent is the report's total divided by its sourced factor (its basis written as the factor reads, 0.5366 not the column's 0.536600), the grid kWh by the factor version each record pinned (not the newest), and that none is made up without one.
import { describe, expect, it } from 'vitest';
import { equivalentsOf } from './equivalents.ts';

const totals = { co2eGrams: 237_010, co2eKg: 237.01, waterLitres: 10_221, plasticGrams: 0, greenPoints: 140, records: 2 };
const factors = [
  { key: 'urban_tree_seedling_10yr', version: 1, value: '0.060000' },
  { key: 'grid_cn', version: 2021, value: '0.556800' },
  { key: 'grid_cn', version: 2022, value: '0.536600' },
  // Test data (not a published figure): a grid version newer than every record below.
  { key: 'grid_cn', version: 2099, value: '0.5' },
  { key: 'watersense_showerhead_water', version: 1, value: '2700' },
];
const pinned2022 = [
  { factorKey: 'grid_cn', factorVersion: 2022, co2eGrams: 59_932 },
  { factorKey: 'grid_cn', factorVersion: 2022, co2eGrams: 177_078 },
  { factorKey: null, factorVersion: null, co2eGrams: 0 },
];
const grid = (items: ReturnType<typeof equivalentsOf>) => items.find((e) => e.key === 'GRID_KWH')!;

describe('equivalentsOf', () => {
  it('divides by the sourced factors, the grid factor the records pinned rather than the newest', () => {
    const items = equivalentsOf(totals, factors, pinned2022);
    expect(Object.fromEntries(items.map((e) => [e.key, e.value]))).toEqual({ TREE_YEARS: 39.5, TREE_SEEDLINGS_10YR: 3.95, GRID_KWH: 441.69, SHOWERHEAD_FAMILY_YEARS: 1 });
    expect(grid(items)).toMatchObject({ factors: [{ key: 'grid_cn', version: 2022 }], basis: 'kg CO2e ÷ 0.5366 kgCO2/kWh (national grid average, 2022)' });
  });
  it('converts each grid version’s share of CO2e with its own factor when records pinned several', () => {
    const pinned = [
      { factorKey: 'grid_cn', factorVersion: 2021, co2eGrams: 55_680 },
      { factorKey: 'grid_cn', factorVersion: 2022, co2eGrams: 53_660 },
      { factorKey: 'grid_cn', factorVersion: 2022, co2eGrams: -26_830 },
    ];
    const co2eGrams = 55_680 + 53_660 - 26_830;
    const g = grid(equivalentsOf({ ...totals, co2eGrams, co2eKg: co2eGrams / 1000 }, factors, pinned));
    // 100 kWh at 0.5568 and 50 kWh net at 0.5366; the newest factor alone would give 165.02.
    expect(g.value).toBe(150);
    expect(g.factors.map((f) => f.version)).toEqual([2021, 2022]);
    expect(g.basis).toBe('kg CO2e ÷ the national grid average each record pinned: 55.68 kg ÷ 0.5568 kgCO2/kWh (2021) + 26.83 kg ÷ 0.5366 kgCO2/kWh (2022)');
  });
  it('counts CO2e pinned to no grid version with the newest version pinned, and uses the newest published only when none is', () => {
    const other = { factorKey: 'grid_east', factorVersion: 2022, co2eGrams: 53_660 };
    const mixed = grid(equivalentsOf({ ...totals, co2eGrams: 290_670, co2eKg: 290.67 }, factors, [...pinned2022, other]));
    expect(mixed).toMatchObject({ value: 541.69, factors: [{ version: 2022 }] });
    expect(mixed.basis).toContain('the 53.66 kg pinned to no grid factor with 2022');
    expect(grid(equivalentsOf({ ...totals, co2eGrams: 50_000, co2eKg: 50 }, factors, [{ ...other, co2eGrams: 50_000 }]))).toMatchObject({ value: 100, factors: [{ version: 2099 }] });
  });
  it('leaves out an equivalent whose factor is missing', () => {
    expect(equivalentsOf(totals, [], pinned2022).map((e) => e.key)).toEqual([]);
  });
});
