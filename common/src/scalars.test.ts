// Proves the DateTime scalar accepts ISO-8601 dates and date-times only, and refuses everything else as BAD_USER_INPUT.
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTime } from './scalars.ts';

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
