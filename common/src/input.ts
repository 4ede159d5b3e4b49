import { AppError } from './errors.ts';

/**
 * Checks on client values before they reach SQL. Postgres rejects a NUL byte in text, and a lone
 * UTF-16 surrogate cannot be encoded as UTF-8 (the driver would silently turn it into U+FFFD): both
 * are a client's mistake and must come back as BAD_USER_INPUT, never as a failed query.
 */
// The NUL in this pattern is the point of it, not a typo.
// eslint-disable-next-line no-control-regex
const NUL_OR_LONE_SURROGATE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isCleanText = (value: string, maxLength = Number.POSITIVE_INFINITY): boolean =>
  value.length <= maxLength && !NUL_OR_LONE_SURROGATE.test(value);

/** The range of a Postgres `integer` column. */
export const INT32_MAX = 2_147_483_647;
export const isInt32 = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= -INT32_MAX - 1 && (value as number) <= INT32_MAX;

export const badUserInput = (argument: string, message: string) => new AppError('BAD_USER_INPUT', message, { argument });

/** Returns the text when it is clean and not longer than `maxLength`, else a BAD_USER_INPUT naming the argument. */
export function cleanText(value: string, argument: string, maxLength: number): string {
  if (value.length > maxLength) throw badUserInput(argument, `${argument} is longer than ${maxLength} characters`);
  if (!isCleanText(value)) throw badUserInput(argument, `${argument} contains a NUL character or invalid UTF-16`);
  return value;
}

/** The first string anywhere inside `value` (objects, arrays) that is not clean, if any. */
export function findUncleanString(value: unknown, depth = 0): string | undefined {
  // Variables are JSON from the gateway; a depth limit keeps a hostile nesting from recursing forever.
  if (depth > 64) return '(too deeply nested)';
  if (typeof value === 'string') return isCleanText(value) ? undefined : value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findUncleanString(item, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') return findUncleanString(Object.values(value), depth + 1);
  return undefined;
}
