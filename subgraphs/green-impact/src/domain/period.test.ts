// Proves report periods are checked (bounds, order, length) as BAD_USER_INPUT and aggregates widen to whole UTC months and end where the last published month ends.
import { isAppError } from '@greenpoints/common';
import { describe, expect, it } from 'vitest';
import { resolvePeriod } from './period.ts';

const now = new Date('2026-11-23T15:00:00Z');
const p = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'ok';
  } catch (err) {
    return isAppError(err) ? err.code : 'untyped';
  }
};

describe('periods by name', () => {
  it('turns a month, a quarter and a year into UTC ranges', () => {
    expect(resolvePeriod({ month: '2026-02' }, now, false)).toEqual(p('2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'));
    expect(resolvePeriod({ quarter: '2026-Q4' }, now, false)).toEqual(p('2026-10-01T00:00:00Z', '2027-01-01T00:00:00Z'));
    expect(resolvePeriod({ year: 2025 }, now, false)).toEqual(p('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'));
  });
  it('refuses malformed names and more or less than one form', () => {
    for (const input of [{ month: '2026-13' }, { quarter: '2026-Q5' }, { year: 1999 }, { month: '2026-01', year: 2026 }, {}, { from: new Date() }]) {
      expect(codeOf(() => resolvePeriod(input, now, false)), JSON.stringify(input)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('resolvePeriod', () => {
  it('defaults to the last twelve months', () => {
    expect(resolvePeriod(null, now, false)).toEqual(p('2025-11-23T15:00:00Z', '2026-11-23T15:00:00Z'));
  });
  it('widens an aggregate period to whole UTC months, a 1 ms window included', () => {
    expect(resolvePeriod(p('2026-03-05T10:00:00.000Z', '2026-03-05T10:00:00.001Z'), now, true)).toEqual(
      p('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'),
    );
    // Two windows a day apart are one report; a month's own bounds stay as they are.
    expect(resolvePeriod(p('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z'), now, true)).toEqual(resolvePeriod(p('2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z'), now, true));
    expect(resolvePeriod(p('2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z'), now, true)).toEqual(p('2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z'));
    expect(resolvePeriod(p('2025-12-31T23:59:59Z', '2026-01-01T00:00:00.001Z'), now, true)).toEqual(p('2025-12-01T00:00:00Z', '2026-02-01T00:00:00Z'));
    expect(resolvePeriod(p('2026-03-05T10:00:00.000Z', '2026-03-05T10:00:00.001Z'), now, false)).toEqual(
      p('2026-03-05T10:00:00.000Z', '2026-03-05T10:00:00.001Z'),
    );
  });
  it('ends an aggregate period where the last published month ends, and refuses one wholly after it', () => {
    expect(resolvePeriod(null, now, true)).toEqual(p('2025-11-01T00:00:00Z', '2026-11-01T00:00:00Z'));
    expect(resolvePeriod({ year: 2026 }, now, true)).toEqual(p('2026-01-01T00:00:00Z', '2026-11-01T00:00:00Z'));
    expect(resolvePeriod(p('2026-10-15T00:00:00Z', '2026-11-23T14:00:00Z'), now, true)).toEqual(p('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'));
    for (const input of [{ month: '2026-11' }, { month: '2027-03' }, p('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z')]) {
      expect(codeOf(() => resolvePeriod(input, now, true)), JSON.stringify(input)).toBe('PERIOD_NOT_CLOSED');
    }
    // A month is published a day after it ends: on the 1st, the month before is not out yet.
    expect(resolvePeriod(null, new Date('2026-12-01T10:00:00Z'), true)).toEqual(p('2025-12-01T00:00:00Z', '2026-11-01T00:00:00Z'));
    expect(codeOf(() => resolvePeriod({ month: '2026-11' }, new Date('2026-12-01T23:59:59Z'), true))).toBe('PERIOD_NOT_CLOSED');
    expect(resolvePeriod({ month: '2026-11' }, new Date('2026-12-02T00:00:00Z'), true)).toEqual(p('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'));
    // A member's own report is theirs alone: it runs up to now.
    expect(resolvePeriod({ month: '2026-11' }, now, false)).toEqual(p('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'));
  });
  it('refuses periods out of bounds, reversed, empty or longer than five years', () => {
    for (const [from, to] of [
      ['1999-12-31T00:00:00Z', '2001-01-01T00:00:00Z'],
      ['2026-01-01T00:00:00Z', '2100-01-02T00:00:00Z'],
      ['2026-02-01T00:00:00Z', '2026-01-01T00:00:00Z'],
      ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
      ['2020-01-01T00:00:00Z', '2025-01-10T00:00:00Z'],
    ]) {
      expect(codeOf(() => resolvePeriod(p(from!, to!), now, false)), `${from} – ${to}`).toBe('BAD_USER_INPUT');
    }
    expect(codeOf(() => resolvePeriod(p('2020-01-01T00:00:00Z', '2025-01-01T00:00:00Z'), now, true))).toBe('ok');
  });
});
