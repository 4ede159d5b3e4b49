// Proves activity caps count China Standard Time days and months, and every kind has a positive rule with day cap ≤ month cap.
import { describe, expect, it } from 'vitest';
import { ACTIVITY_KINDS, ACTIVITY_RULES, capPeriods } from './activityRules.ts';

describe('capPeriods', () => {
  it('counts the day and month in Asia/Shanghai (UTC+8)', () => {
    expect(capPeriods(new Date('2026-03-31T15:59:59Z'))).toEqual({ day: '2026-03-31', month: '2026-03-01' });
    expect(capPeriods(new Date('2026-03-31T16:00:00Z'))).toEqual({ day: '2026-04-01', month: '2026-04-01' });
  });
});

describe('ACTIVITY_RULES', () => {
  it('gives every kind positive points and a daily cap within its monthly cap', () => {
    for (const kind of ACTIVITY_KINDS) {
      const r = ACTIVITY_RULES[kind];
      expect(r.greenPoints, kind).toBeGreaterThan(0);
      expect(r.perDay, kind).toBeGreaterThan(0);
      expect(r.perDay, kind).toBeLessThanOrEqual(r.perMonth);
    }
  });
});
