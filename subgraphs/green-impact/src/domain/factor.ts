import { greenError } from '../errors.ts';

/** An emission factor as published: the exact decimal, its unit, the year it describes and who published it. */
export interface FactorInput {
  key: string;
  version: number;
  name: string;
  /** The published decimal as text ("0.5366"), never a float. */
  value: string;
  unit: string;
  source: string;
  sourceUrl: string | null;
  year: number;
  /** The publication date, when the source states one (YYYY-MM-DD). */
  publishedOn: string | null;
}

/** A reference to one factor version, as a profile or a record pins it. */
export interface FactorRef {
  key: string;
  version: number;
}

const KEY = /^[a-z][a-z0-9_]{1,59}$/;
const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const bad = (field: string, message: string) => greenError('BAD_USER_INPUT', message, { field });

/**
 * A factor enters the alliance only with its public source: a value, a unit, the year it describes
 * and who published it. A figure without a source is refused here (and by CHECKs in Postgres), so a
 * report can always say where each of its numbers comes from.
 */
export function checkFactor(f: FactorInput): FactorInput {
  if (!KEY.test(f.key)) throw bad('key', 'key must be lower-case letters, digits and _ (2–60)');
  if (!Number.isSafeInteger(f.version) || f.version < 1) throw bad('version', 'version must be a positive integer');
  if (!f.name.trim() || f.name.length > 200) throw bad('name', 'name is required (at most 200 characters)');
  if (!DECIMAL.test(f.value) || Number(f.value) <= 0) throw bad('value', 'value must be a positive decimal with at most 6 decimals');
  if (!f.unit.trim() || f.unit.length > 60) throw bad('unit', 'unit is required (at most 60 characters)');
  if (f.source.trim().length < 10 || f.source.length > 500) throw bad('source', 'a factor needs its public source (10–500 characters)');
  if (f.sourceUrl !== null && !/^https:\/\/[^\s]{4,490}$/.test(f.sourceUrl)) throw bad('sourceUrl', 'sourceUrl must be an https URL');
  if (!Number.isSafeInteger(f.year) || f.year < 1990 || f.year > 2100) throw bad('year', 'year must be between 1990 and 2100');
  if (f.publishedOn !== null && (!DATE.test(f.publishedOn) || Number.isNaN(Date.parse(f.publishedOn)))) {
    throw bad('publishedOn', 'publishedOn must be a date (YYYY-MM-DD)');
  }
  return f;
}

/** The exact decimal of a factor as a number, for arithmetic on small integers of grams and litres. */
export const factorNumber = (value: string): number => Number(value);
