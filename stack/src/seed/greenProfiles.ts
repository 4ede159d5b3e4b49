/**
 * Green profiles of the seeded SKUs, each derived from the sourced factors in factors.ts, with every
 * assumption (hours of use, minutes a day) said in `basis`. Grams and litres are rounded to whole units.
 */
import type { GreenProfileInput } from '@greenpoints/green-impact/operations/publishGreenProfile';
import { factorValue } from './factors.ts';

/** A seeded green profile is exactly what green-impact's publishGreenProfile takes. */
export type GreenProfileSeed = GreenProfileInput;

/** A US gallon in litres, by definition (not a factor). */
const LITRES_PER_GALLON = 3.785411784;
const GRID = { key: 'grid_cn', version: 2022 } as const;
const grid = () => factorValue(GRID.key, GRID.version);

/** LED: watts saved at equal light output × hours of use × the grid factor. */
const LAMP_HOURS_PER_DAY = 3;
const ledKwhPerYear = () => ((factorValue('lamp_800lm_incandescent', 1) - factorValue('lamp_800lm_led', 1)) * LAMP_HOURS_PER_DAY * 365) / 1000;
/** Aerator: flow saved × minutes of use a day × a year. */
const AERATOR_MINUTES_PER_DAY = 5;
const aeratorLitresPerYear = () => (factorValue('faucet_standard_flow', 1) - factorValue('faucet_watersense_flow', 1)) * LITRES_PER_GALLON * AERATOR_MINUTES_PER_DAY * 365;

const gramsOf = (kg: number) => Math.round(kg * 1000);

export const GREEN_PROFILES: GreenProfileSeed[] = [
  {
    sku: 'APP-LED-9W', category: 'LED_LIGHTING', certification: 'China energy label grade 1',
    co2eGramsPerUnit: gramsOf(ledKwhPerYear() * grid()), waterLitresPerUnit: 0, plasticGramsPerUnit: 0, greenPointsPerUnit: 20,
    basis: `(60 W − 9 W) at equal 800 lm × ${LAMP_HOURS_PER_DAY} h/day × 365 days = ${ledKwhPerYear().toFixed(3)} kWh × 0.5366 kgCO2/kWh, over one year (hours of use assumed)`,
    factorKey: GRID.key, factorVersion: GRID.version,
    factors: [GRID, { key: 'lamp_800lm_incandescent', version: 1 }, { key: 'lamp_800lm_led', version: 1 }],
  },
  {
    sku: 'APP-SHOWER-WS', category: 'WATER_SAVING', certification: 'Water efficiency grade 1',
    co2eGramsPerUnit: gramsOf(factorValue('watersense_showerhead_energy', 1) * grid()),
    waterLitresPerUnit: Math.round(factorValue('watersense_showerhead_water', 1) * LITRES_PER_GALLON), plasticGramsPerUnit: 0, greenPointsPerUnit: 80,
    basis: 'EPA WaterSense: 2,700 US gal (10,221 L) of water and 330 kWh of water heating a family saves in a year × 0.5366 kgCO2/kWh (electric water heating assumed)',
    factorKey: GRID.key, factorVersion: GRID.version,
    factors: [GRID, { key: 'watersense_showerhead_water', version: 1 }, { key: 'watersense_showerhead_energy', version: 1 }],
  },
  {
    sku: 'APP-AERATOR', category: 'WATER_SAVING', certification: null,
    co2eGramsPerUnit: 0, waterLitresPerUnit: Math.round(aeratorLitresPerYear()), plasticGramsPerUnit: 0, greenPointsPerUnit: 15,
    basis: `(2.2 − 1.5) US gal/min × 3.785 L/gal × ${AERATOR_MINUTES_PER_DAY} min/day × 365 days, over one year (minutes of use assumed). CO2e of water supply not counted: no sourced factor`,
    factorKey: null, factorVersion: null,
    factors: [{ key: 'faucet_standard_flow', version: 1 }, { key: 'faucet_watersense_flow', version: 1 }],
  },
  {
    sku: 'APP-AC-GRADE1', category: 'ENERGY_EFFICIENT_APPLIANCE', certification: 'China energy label grade 1',
    co2eGramsPerUnit: gramsOf(300 * grid()), waterLitresPerUnit: 0, plasticGramsPerUnit: 0, greenPointsPerUnit: 500,
    basis: '300 kWh/yr less than a grade-3 unit (assumed: 25% of 1,200 kWh; no sourced saving yet) × 0.5366 kgCO2/kWh',
    factorKey: GRID.key, factorVersion: GRID.version, factors: [GRID],
  },
  {
    sku: 'APP-FRIDGE-GRADE1', category: 'ENERGY_EFFICIENT_APPLIANCE', certification: 'China energy label grade 1',
    co2eGramsPerUnit: gramsOf(100 * grid()), waterLitresPerUnit: 0, plasticGramsPerUnit: 0, greenPointsPerUnit: 400,
    basis: '100 kWh/yr less than a grade-3 unit (assumed; no sourced saving yet) × 0.5366 kgCO2/kWh',
    factorKey: GRID.key, factorVersion: GRID.version, factors: [GRID],
  },
  {
    sku: 'SUP-BAG-PP', category: 'REUSABLE_BAG', certification: null,
    co2eGramsPerUnit: 0, waterLitresPerUnit: 0, plasticGramsPerUnit: 800, greenPointsPerUnit: 5,
    basis: 'Replaces about 100 single-use HDPE bags of 8 g a year (assumed); UK EA 2011: a non-woven PP bag beats an HDPE bag on CO2 after 11 uses. CO2e per bag unverified, so not counted',
    factorKey: null, factorVersion: null, factors: [{ key: 'pp_bag_breakeven_uses', version: 1 }],
  },
  {
    sku: 'FRUIT-BAG-REUSABLE', category: 'REUSABLE_BAG', certification: null,
    co2eGramsPerUnit: 0, waterLitresPerUnit: 0, plasticGramsPerUnit: 400, greenPointsPerUnit: 5,
    basis: 'Replaces about 100 thin produce bags of 4 g a year (assumed). CO2e unverified, so not counted',
    factorKey: null, factorVersion: null, factors: [],
  },
];
