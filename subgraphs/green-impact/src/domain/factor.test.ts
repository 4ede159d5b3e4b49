// Proves a factor without a public source, a unit, a year or a positive exact value is refused.
import { isAppError } from '@greenpoints/common';
import { describe, expect, it } from 'vitest';
import { checkFactor, type FactorInput } from './factor.ts';

const grid: FactorInput = {
  key: 'grid_cn', version: 2022, name: 'China national grid average', value: '0.5366', unit: 'kgCO2/kWh',
  source: 'Ministry of Ecology and Environment & National Bureau of Statistics', sourceUrl: null, year: 2022, publishedOn: '2024-12-20',
};

const fieldOf = (f: FactorInput) => {
  try {
    checkFactor(f);
    return 'ok';
  } catch (err) {
    return isAppError(err) && err.code === 'BAD_USER_INPUT' ? String(err.details['field']) : 'untyped';
  }
};

describe('checkFactor', () => {
  it('accepts a sourced factor as published', () => {
    expect(fieldOf(grid)).toBe('ok');
  });
  it('refuses a factor without a source, unit, year or a positive exact value', () => {
    expect(fieldOf({ ...grid, source: '' })).toBe('source');
    expect(fieldOf({ ...grid, source: '   ' })).toBe('source');
    expect(fieldOf({ ...grid, unit: '' })).toBe('unit');
    expect(fieldOf({ ...grid, year: 1066 })).toBe('year');
    expect(fieldOf({ ...grid, value: '0' })).toBe('value');
    expect(fieldOf({ ...grid, value: '1e3' })).toBe('value');
    expect(fieldOf({ ...grid, sourceUrl: 'http://insecure.example' })).toBe('sourceUrl');
    expect(fieldOf({ ...grid, publishedOn: '2024-13-45' })).toBe('publishedOn');
  });
});
