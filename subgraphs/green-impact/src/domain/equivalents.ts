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

/** CO2e grams of a report's records that pinned one factor version (key and version null: none). */
export interface PinnedCo2e {
  factorKey: string | null;
  factorVersion: number | null;
  co2eGrams: number;
}

/** The national grid factor: a record's CO2e is its kWh times the version it pinned. */
export const GRID_FACTOR_KEY = 'grid_cn';

/** A US gallon in litres, by definition. */
const LITRES_PER_GALLON = 3.785411784;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The newest version of a factor key: for yardsticks no record pins (a tree's uptake, a family's water). */
const latest = (factors: FactorLike[], key: string) => factors.filter((f) => f.key === key).sort((a, b) => a.version - b.version).at(-1);

/**
 * The report's CO2e by the grid factor version its records pinned, in version order: each share is
 * converted back to kWh with the factor it was computed with, so publishing a new version changes
 * no past report. CO2e pinned to no grid version (another factor, or none) goes with the newest
 * version the records pinned; only a report whose records pinned none takes the newest published.
 */
function gridShares(totals: Totals, factors: FactorLike[], pinned: PinnedCo2e[]): { shares: { factor: FactorLike; grams: number }[]; unpinnedGrams: number } {
  const versions = new Map(factors.filter((f) => f.key === GRID_FACTOR_KEY).map((f) => [f.version, f]));
  const grams = new Map<FactorLike, number>();
  let rest = totals.co2eGrams;
  for (const p of pinned) {
    const factor = p.factorKey === GRID_FACTOR_KEY && p.factorVersion !== null ? versions.get(p.factorVersion) : undefined;
    if (!factor) continue;
    grams.set(factor, (grams.get(factor) ?? 0) + p.co2eGrams);
    rest -= p.co2eGrams;
  }
  const used = [...grams.keys()].sort((a, b) => a.version - b.version);
  const restWith = used.at(-1) ?? latest(factors, GRID_FACTOR_KEY);
  if (!restWith) return { shares: [], unpinnedGrams: 0 };
  if (rest !== 0 || used.length === 0) grams.set(restWith, (grams.get(restWith) ?? 0) + rest);
  const shares = [...grams].map(([factor, g]) => ({ factor, grams: g })).sort((a, b) => a.factor.version - b.factor.version);
  return { shares, unpinnedGrams: used.length === 0 ? 0 : rest };
}

export function equivalentsOf(totals: Totals, factors: FactorLike[], pinned: PinnedCo2e[]): Equivalent[] {
  const out: Equivalent[] = [];
  const tree = latest(factors, 'urban_tree_seedling_10yr');
  if (tree) {
    const kgOver10Years = Number(tree.value) * 1000;
    out.push({
      key: 'TREE_YEARS', label: { en: 'Years of CO2 uptake by one urban tree', zh: '一棵城市树木吸收二氧化碳的年数' },
      value: round2(totals.co2eKg / (kgOver10Years / 10)), unit: { en: 'tree-years', zh: '棵·年' },
      basis: `kg CO2e ÷ ${kgOver10Years / 10} kg a year (US EPA: ${Number(tree.value)} t CO2 per urban tree seedling grown for 10 years)`, factors: [tree],
    });
    out.push({
      key: 'TREE_SEEDLINGS_10YR', label: { en: 'Urban tree seedlings grown for 10 years', zh: '种植十年的城市树苗' },
      value: round2(totals.co2eKg / kgOver10Years), unit: { en: 'trees', zh: '棵' },
      basis: `kg CO2e ÷ ${kgOver10Years} kg per seedling over 10 years (US EPA)`, factors: [tree],
    });
  }
  const { shares: grid, unpinnedGrams } = gridShares(totals, factors, pinned);
  const newest = grid.at(-1);
  if (newest) {
    const unpinned = unpinnedGrams === 0 ? '' : `; the ${unpinnedGrams / 1000} kg pinned to no grid factor with ${newest.factor.version}, the newest the records pinned`;
    const basis =
      grid.length === 1
        ? `kg CO2e ÷ ${Number(newest.factor.value)} kgCO2/kWh (national grid average, ${newest.factor.version}${unpinned})`
        : `kg CO2e ÷ the national grid average each record pinned: ${grid.map((s) => `${s.grams / 1000} kg ÷ ${Number(s.factor.value)} kgCO2/kWh (${s.factor.version})`).join(' + ')}${unpinned}`;
    out.push({
      key: 'GRID_KWH', label: { en: "kWh of electricity from China's grid", zh: '全国电网平均用电量' },
      value: round2(grid.reduce((kwh, s) => kwh + s.grams / 1000 / Number(s.factor.value), 0)), unit: { en: 'kWh', zh: '千瓦时' },
      basis, factors: grid.map((s) => s.factor),
    });
  }
  const shower = latest(factors, 'watersense_showerhead_water');
  if (shower) {
    const litres = Number(shower.value) * LITRES_PER_GALLON;
    out.push({
      key: 'SHOWERHEAD_FAMILY_YEARS', label: { en: 'Years of the water a family saves with WaterSense showerheads', zh: '一个家庭使用节水花洒一年节约的水量(年)' },
      value: round2(totals.waterLitres / litres), unit: { en: 'family-years', zh: '户·年' },
      basis: `litres ÷ ${Math.round(litres)} L (US EPA WaterSense: ${Number(shower.value)} gallons a family saves in a year)`, factors: [shower],
    });
  }
  return out;
}
