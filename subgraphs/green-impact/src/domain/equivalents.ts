/**
 * Plain equivalents of a report's totals, each from a sourced factor and saying how it was
 * computed. An equivalent whose factor is not in the table is left out rather than guessed; there
 * is none for plastic, since no sourced per-bag figure exists yet.
 */
import type { Totals } from './report.ts';

export interface FactorLike {
  key: string;
  version: number;
  value: string;
}

export interface Equivalent {
  key: string;
  label: { en: string; zh: string };
  value: number;
  unit: { en: string; zh: string };
  basis: string;
  factors: FactorLike[];
}

/** A US gallon in litres, by definition. */
const LITRES_PER_GALLON = 3.785411784;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The newest version of a factor key. */
const latest = (factors: FactorLike[], key: string) => factors.filter((f) => f.key === key).sort((a, b) => a.version - b.version).at(-1);

export function equivalentsOf(totals: Totals, factors: FactorLike[]): Equivalent[] {
  const out: Equivalent[] = [];
  const tree = latest(factors, 'urban_tree_seedling_10yr');
  if (tree) {
    const kgOver10Years = Number(tree.value) * 1000;
    out.push({
      key: 'TREE_YEARS', label: { en: 'Years of CO2 uptake by one urban tree', zh: '一棵城市树木吸收二氧化碳的年数' },
      value: round2(totals.co2eKg / (kgOver10Years / 10)), unit: { en: 'tree-years', zh: '棵·年' },
      basis: `kg CO2e ÷ ${kgOver10Years / 10} kg a year (US EPA: ${tree.value} t CO2 per urban tree seedling grown for 10 years)`, factors: [tree],
    });
    out.push({
      key: 'TREE_SEEDLINGS_10YR', label: { en: 'Urban tree seedlings grown for 10 years', zh: '种植十年的城市树苗' },
      value: round2(totals.co2eKg / kgOver10Years), unit: { en: 'trees', zh: '棵' },
      basis: `kg CO2e ÷ ${kgOver10Years} kg per seedling over 10 years (US EPA)`, factors: [tree],
    });
  }
  const grid = latest(factors, 'grid_cn');
  if (grid) {
    out.push({
      key: 'GRID_KWH', label: { en: "kWh of electricity from China's grid", zh: '全国电网平均用电量' },
      value: round2(totals.co2eKg / Number(grid.value)), unit: { en: 'kWh', zh: '千瓦时' },
      basis: `kg CO2e ÷ ${grid.value} kgCO2/kWh (national grid average, ${grid.version})`, factors: [grid],
    });
  }
  const shower = latest(factors, 'watersense_showerhead_water');
  if (shower) {
    const litres = Number(shower.value) * LITRES_PER_GALLON;
    out.push({
      key: 'SHOWERHEAD_FAMILY_YEARS', label: { en: 'Years of the water a family saves with WaterSense showerheads', zh: '一个家庭使用节水花洒一年节约的水量(年)' },
      value: round2(totals.waterLitres / litres), unit: { en: 'family-years', zh: '户·年' },
      basis: `litres ÷ ${Math.round(litres)} L (US EPA WaterSense: ${shower.value} gallons a family saves in a year)`, factors: [shower],
    });
  }
  return out;
}
