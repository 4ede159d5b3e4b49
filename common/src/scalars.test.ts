// Proves the DateTime scalar accepts ISO-8601 dates and date-times only (refusing the rest as BAD_USER_INPUT), and SafeInt sends totals past 2^31 exactly.
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTime, SafeInt } from './scalars.ts';

const codeOf = (value: unknown): unknown => {
  try {
    DateTime.parseValue(value);
    return 'ok';
  } catch (err) {
    return (err as GraphQLError).extensions['code'];
  }
};

describe('DateTime input', () => {
  it('accepts dates and date-times with Z or an offset', () => {
    expect(DateTime.parseValue('2026-03-01')).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(DateTime.parseValue('2026-03-01T08:00:00+08:00')).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(DateTime.parseValue('2026-03-01T00:00:00.123456Z')).toEqual(new Date('2026-03-01T00:00:00.123Z'));
  });
  it('refuses what new Date() would quietly accept or roll over', () => {
    for (const bad of [1, '1', 'yesterday', '2026-02-31', '2026-13-01', '2026-01-01T24:00:00Z', '275760-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '2026-01-01T00:00:00', '', null, {}]) {
      expect(codeOf(bad), String(bad)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('SafeInt', () => {
  it('sends totals past 2^31 exactly, from numbers, bigints and the strings Postgres sums come back as', () => {
    expect(SafeInt.serialize(2_733_815_618)).toBe(2_733_815_618);
    expect(SafeInt.serialize(2_733_815_618n)).toBe(2_733_815_618);
    expect(SafeInt.serialize('-2733815618')).toBe(-2_733_815_618);
    expect(SafeInt.serialize(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });
  it('refuses what it cannot send exactly rather than rounding it', () => {
    for (const bad of [2 ** 53, 1.5, '1e3', 'x', NaN, 9_007_199_254_740_993n, null]) expect(() => SafeInt.serialize(bad), String(bad)).toThrow(/SafeInt/);
  });
  it('reads whole numbers in range as input and refuses the rest as BAD_USER_INPUT', () => {
    expect(SafeInt.parseValue(3_000_000_000)).toBe(3_000_000_000);
    for (const bad of ['3', 1.5, 2 ** 53, true]) {
      try {
        SafeInt.parseValue(bad);
        expect.unreachable(String(bad));
      } catch (err) {
        expect((err as GraphQLError).extensions['code']).toBe('BAD_USER_INPUT');
      }
    }
  });
});
