/**
 * The emission factors and equivalences the alliance seeds: only figures with a public source,
 * as gathered in the project's domain research (shared/reference/domain-research.md). Each carries
 * the exact published decimal, its unit, the year it describes and who published it. Where a source
 * page states no year, `year` is the year the figure was taken from it and the source says so.
 * Left out on purpose: the tap-water supply factor (0.297 kgCO2/m³, a Taiwanese LCA used as a proxy,
 * with no year to cite) and any per-bag CO2e figure (unverified).
 */
import type { FactorInput } from '@greenpoints/green-impact/domain/factor';

const MEE_NBS_2022 = 'Ministry of Ecology and Environment (MEE) and National Bureau of Statistics (NBS): 2022 electricity CO2 emission factors';
const MEE_NBS_2022_URL = 'https://www.daydaynews.cc/zh-hant/finance/3899452.html';
const EPA_WATERSENSE_SHOWER = 'US EPA WaterSense, "WaterSense labeled showerheads" fact sheet (EPA document P100WT70; undated, figures taken 2026)';
const EPA_WATERSENSE_SHOWER_URL = 'https://nepis.epa.gov/Exe/ZyPURL.cgi?Dockey=P100WT70.txt';

const regional = (key: string, name: string, value: string): FactorInput => ({
  key, version: 2022, name, value, unit: 'kgCO2/kWh', source: MEE_NBS_2022, sourceUrl: MEE_NBS_2022_URL, year: 2022, publishedOn: '2024-12-20',
});

export const EMISSION_FACTORS: FactorInput[] = [
  { key: 'grid_cn', version: 2021, name: 'China national grid average emission factor', value: '0.5568', unit: 'kgCO2/kWh', source: 'MEE and NBS, announcement No. 12 of 2024: 2021 electricity CO2 emission factors', sourceUrl: 'https://www.hfyfsb.com/industry/elec/3596.html', year: 2021, publishedOn: null },
  { key: 'grid_cn', version: 2022, name: 'China national grid average emission factor', value: '0.5366', unit: 'kgCO2/kWh', source: MEE_NBS_2022, sourceUrl: MEE_NBS_2022_URL, year: 2022, publishedOn: '2024-12-20' },
  regional('grid_cn_excl_market_nonfossil', 'China national grid factor excluding market-traded non-fossil power', '0.5856'),
  regional('grid_cn_fossil', 'China fossil-fuel power emission factor', '0.8325'),
  regional('grid_north', 'North China regional grid (华北)', '0.6776'),
  regional('grid_northeast', 'Northeast China regional grid (东北)', '0.5564'),
  regional('grid_east', 'East China regional grid (华东)', '0.5617'),
  regional('grid_central', 'Central China regional grid (华中)', '0.5395'),
  regional('grid_northwest', 'Northwest China regional grid (西北)', '0.5857'),
  regional('grid_south', 'China Southern regional grid (南方)', '0.3869'),
  regional('grid_southwest', 'Southwest China regional grid (西南)', '0.2268'),
  { key: 'lamp_800lm_incandescent', version: 1, name: 'Power of an incandescent lamp giving 800 lumens', value: '60', unit: 'W', source: 'ENERGY STAR lumen equivalence as given by Central Electric Cooperative, "Lighting efficiency" (undated page, figure taken 2026)', sourceUrl: 'https://central.coop/lighting-efficiency', year: 2026, publishedOn: null },
  { key: 'lamp_800lm_led', version: 1, name: 'Power of an LED lamp giving the same 800 lumens', value: '9', unit: 'W', source: 'ENERGY STAR lumen equivalence as given by Central Electric Cooperative, "Lighting efficiency" (undated page, figure taken 2026)', sourceUrl: 'https://central.coop/lighting-efficiency', year: 2026, publishedOn: null },
  { key: 'watersense_showerhead_water', version: 1, name: 'Water a family saves in a year with WaterSense labeled showerheads', value: '2700', unit: 'US gal/family-year', source: EPA_WATERSENSE_SHOWER, sourceUrl: EPA_WATERSENSE_SHOWER_URL, year: 2026, publishedOn: null },
  { key: 'watersense_showerhead_energy', version: 1, name: 'Water-heating electricity a family saves in a year with WaterSense labeled showerheads', value: '330', unit: 'kWh/family-year', source: EPA_WATERSENSE_SHOWER, sourceUrl: EPA_WATERSENSE_SHOWER_URL, year: 2026, publishedOn: null },
  { key: 'faucet_standard_flow', version: 1, name: 'Flow of a standard bathroom faucet', value: '2.2', unit: 'US gal/min', source: 'US EPA WaterSense (EPA document P100WT70 series; figures taken 2026)', sourceUrl: EPA_WATERSENSE_SHOWER_URL, year: 2026, publishedOn: null },
  { key: 'faucet_watersense_flow', version: 1, name: 'Maximum flow of a WaterSense labeled faucet or aerator', value: '1.5', unit: 'US gal/min', source: 'US EPA WaterSense (EPA document P100WT70 series; figures taken 2026)', sourceUrl: EPA_WATERSENSE_SHOWER_URL, year: 2026, publishedOn: null },
  { key: 'watersense_toilet_water', version: 1, name: 'Water a family saves in a year with WaterSense labeled toilets', value: '13000', unit: 'US gal/family-year', source: 'US EPA WaterSense labeled toilets fact sheet (EPA document P100SP20; undated, figure taken 2026)', sourceUrl: 'https://nepis.epa.gov/Exe/ZyPURL.cgi?Dockey=P100SP20.txt', year: 2026, publishedOn: null },
  { key: 'pp_bag_breakeven_uses', version: 1, name: 'Uses after which a non-woven PP bag has a lower carbon footprint than an HDPE carrier bag', value: '11', unit: 'uses', source: 'UK Environment Agency, Life cycle assessment of supermarket carrier bags (report SC030148, February 2011)', sourceUrl: 'https://plasteurope.com/news/detail.asp?id=218711', year: 2011, publishedOn: null },
  { key: 'urban_tree_seedling_10yr', version: 1, name: 'CO2 taken up by one urban tree seedling grown for 10 years', value: '0.060', unit: 'tCO2/tree (10 years)', source: 'US EPA Greenhouse Gas Equivalencies Calculator (figure taken 2026)', sourceUrl: 'https://www.epa.gov/energy/greenhouse-gas-equivalencies-calculator', year: 2026, publishedOn: null },
];

/** The factor versions by key@version, for deriving profiles from them. */
export const factorValue = (key: string, version: number): number => {
  const f = EMISSION_FACTORS.find((x) => x.key === key && x.version === version);
  if (!f) throw new Error(`no seeded factor ${key}@${version}`);
  return Number(f.value);
};
