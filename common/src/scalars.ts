import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const badDate = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * ISO-8601 as clients write it: a date (`2026-03-01`, UTC midnight) or a date-time with `Z` or an
 * offset. Four-digit years only, so a year like 275760 is refused here rather than reaching SQL.
 */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Parses a client's value strictly: `new Date()` alone accepts `1` (year 2001) and rolls 02-31 to March. */
function parseInput(value: unknown): Date {
  if (typeof value !== 'string') throw badDate('DateTime must be an ISO-8601 string');
  const match = ISO_8601.exec(value);
  if (!match) throw badDate('DateTime must be an ISO-8601 date-time, e.g. 2026-03-01T00:00:00Z');
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  if (calendar.getUTCMonth() !== month! - 1 || calendar.getUTCDate() !== day! || hour > 23 || minute > 59 || second > 59) {
    throw badDate('DateTime is not a real calendar date and time');
  }
  const date = new Date(match[4] === undefined ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw badDate('DateTime must be an ISO-8601 date-time');
  return date;
}

/** What the services themselves return: Date objects or timestamps from Postgres. */
function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
  return date;
}

/** ISO-8601 date-time, shared by every subgraph so the composed scalar is one and the same. */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => toDate(value).toISOString(),
  parseValue: parseInput,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badDate('DateTime must be a string');
    return parseInput(ast.value);
  },
});

/**
 * Any JSON value, for output only: a person's data export is a document, not a graph. Refused as
 * input, so no client can send untyped data through it.
 */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'A JSON value (output only).',
  serialize: (value) => value,
  parseValue: () => {
    throw new GraphQLError('JSON is an output type', { extensions: { code: 'BAD_USER_INPUT' } });
  },
  parseLiteral: () => {
    throw new GraphQLError('JSON is an output type', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

const badInt = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** A whole number JavaScript holds exactly: from a number, a bigint or a numeric string (Postgres sums). */
function safeInteger(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) return null;
  if (typeof value === 'bigint' && BigInt(n) !== value) return null;
  return n;
}

/**
 * An integer within ±(2^53−1), as a JSON number: the totals over the whole alliance (grams of CO2e
 * at 20,000 members already pass 2^31, GraphQL's Int). Larger values are refused, never rounded.
 */
export const SafeInt = new GraphQLScalarType<number, number>({
  name: 'SafeInt',
  serialize: (value) => {
    const n = safeInteger(value);
    // An internal error: the service produced a number it cannot send exactly.
    if (n === null) throw new GraphQLError(`SafeInt cannot represent ${String(value)} exactly`);
    return n;
  },
  parseValue: (value) => {
    if (typeof value !== 'number') throw badInt('SafeInt must be a JSON number');
    const n = safeInteger(value);
    if (n === null) throw badInt('SafeInt must be a whole number within ±(2^53−1)');
    return n;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw badInt('SafeInt must be an integer');
    const n = safeInteger(ast.value);
    if (n === null) throw badInt('SafeInt must be a whole number within ±(2^53−1)');
    return n;
  },
});
