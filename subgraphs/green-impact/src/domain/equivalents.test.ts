// Proves each plain equivalent is the report's total divided by its sourced factor, and that none is made up without one.
import { describe, expect, it } from 'vitest';
import { equivalentsOf } from './equivalents.ts';

const totals = { co2eGrams: 237_010, co2eKg: 237.01, waterLitres: 10_221, plasticGrams: 0, greenPoints: 140, records: 2 };
const factors = [
  { key: 'urban_tree_seedling_10yr', version: 1, value: '0.060' },
  { key: 'grid_cn', version: 2021, value: '0.5568' },
  { key: 'grid_cn', version: 2022, value: '0.5366' },
  { key: 'watersense_showerhead_water', version: 1, value: '2700' },
];

describe('equivalentsOf', () => {
  it('divides by the sourced factors, the newest grid factor among versions', () => {
    const byKey = Object.fromEntries(equivalentsOf(totals, factors).map((e) => [e.key, e.value]));
    expect(byKey).toEqual({ TREE_YEARS: 39.5, TREE_SEEDLINGS_10YR: 3.95, GRID_KWH: 441.69, SHOWERHEAD_FAMILY_YEARS: 1 });
  });
  it('leaves out an equivalent whose factor is missing', () => {
    expect(equivalentsOf(totals, []).map((e) => e.key)).toEqual([]);
  });
});
