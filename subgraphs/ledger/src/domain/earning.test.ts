// Proves the earning arithmetic: integer points from fen, tier multipliers, per-order caps, green points per unit.
import { describe, expect, it } from 'vitest';
import { computeEarning, lotDates } from './earning.ts';
import { tierFor } from './tier.ts';

const rule = { version: 1, pointsPerYuan: 1, pendingDays: 7, perOrderCap: null };

describe('computeEarning', () => {
  it('earns floor(yuan × rate) and never a fraction of a point', () => {
    expect(computeEarning(12_999, rule, 100, [], new Map()).points).toBe(129);
    expect(computeEarning(99, rule, 100, [], new Map()).points).toBe(0);
  });
  it('applies the tier multiplier, then the per-order cap', () => {
    expect(computeEarning(10_000, rule, 150, [], new Map()).points).toBe(150);
    expect(computeEarning(10_000, { ...rule, perOrderCap: 120 }, 150, [], new Map()).points).toBe(120);
  });
  it('adds green points per unit of green SKUs only', () => {
    const earning = computeEarning(
      5_000,
      rule,
      100,
      [
        { sku: 'LED-9W', quantity: 3, unitPriceMinor: 1_000 },
        { sku: 'CHIPS', quantity: 1, unitPriceMinor: 2_000 },
      ],
      new Map([['LED-9W', 20]]),
    );
    expect(earning.greenPoints).toBe(60);
    expect(earning.lines.map((l) => l.greenPoints)).toEqual([60, 0]);
  });
});

describe('lotDates', () => {
  it('makes points spendable after the return window and expire a year after earning', () => {
    const { availableAt, expiresAt } = lotDates(new Date('2026-01-01T00:00:00Z'), 7);
    expect(availableAt.toISOString()).toBe('2026-01-08T00:00:00.000Z');
    expect(expiresAt.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('tierFor', () => {
  it('picks the highest tier whose threshold the spend reaches', () => {
    expect(tierFor(0).tier).toBe('SEED');
    expect(tierFor(100_000).tier).toBe('SPROUT');
    expect(tierFor(499_999).tier).toBe('SPROUT');
    expect(tierFor(2_000_000)).toEqual({ tier: 'FOREST', multiplierPercent: 150 });
  });
});
