// Proves retry delays double from the base, never exceed the cap, and reject nonsense attempts.
import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.ts';

describe('backoffMs', () => {
  it('doubles from the base', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 100, 10_000))).toEqual([100, 200, 400, 800]);
  });
  it('is capped', () => {
    expect(backoffMs(50, 100, 10_000)).toBe(10_000);
    expect(backoffMs(1_000, 1, 60_000)).toBe(60_000);
  });
  it('refuses attempts below one', () => {
    expect(() => backoffMs(0, 100, 1_000)).toThrow(RangeError);
  });
});
