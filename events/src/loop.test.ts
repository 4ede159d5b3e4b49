// Proves the worker loop polls at pollMs while busy, slows down to idleMaxMs after a quiet spell, and is back at full pace as soon as it finds work.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_STEPS_BEFORE_BACKOFF, runLoop } from './loop.ts';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('runLoop', () => {
  it('polls every pollMs for the first quiet steps, then doubles the pause up to idleMaxMs', async () => {
    const at: number[] = [];
    const loop = runLoop('test', async () => (at.push(Date.now()), 0), 10, silent, 80);
    await vi.advanceTimersByTimeAsync(1_000);
    const stopping = loop.stop();
    await vi.advanceTimersByTimeAsync(100);
    await stopping;
    const pauses = at.slice(1).map((t, i) => t - at[i]!);
    expect(pauses.slice(0, IDLE_STEPS_BEFORE_BACKOFF)).toEqual(Array(IDLE_STEPS_BEFORE_BACKOFF).fill(10));
    expect(pauses.slice(IDLE_STEPS_BEFORE_BACKOFF, IDLE_STEPS_BEFORE_BACKOFF + 4)).toEqual([20, 40, 80, 80]);
    expect(Math.max(...pauses)).toBe(80);
  });

  it('goes back to full pace the moment a step finds work, and starts counting quiet steps again', async () => {
    const at: number[] = [];
    let work = 0;
    const loop = runLoop('test', async () => (at.push(Date.now()), work > 0 ? work-- : 0), 10, silent, 1_000);
    await vi.advanceTimersByTimeAsync(5_000);
    const idlePause = at.at(-1)! - at.at(-2)!;
    expect(idlePause).toBe(1_000);
    work = 3;
    const before = at.length;
    await vi.advanceTimersByTimeAsync(1_000);
    // The step that finds work runs at the end of the long pause; the next ones follow at once (a
    // turn of the event loop), then the quiet steps are pollMs apart again.
    const after = at.slice(before);
    const pauses = after.slice(1).map((t, i) => t - after[i]!);
    expect(pauses.slice(0, 3).every((p) => p < 10)).toBe(true);
    expect(pauses.slice(3, 3 + IDLE_STEPS_BEFORE_BACKOFF)).toEqual(Array(IDLE_STEPS_BEFORE_BACKOFF).fill(10));
    const stopping = loop.stop();
    await vi.advanceTimersByTimeAsync(2_000);
    await stopping;
  });

  it('never pauses longer than pollMs when idleMaxMs is not given', async () => {
    const at: number[] = [];
    const loop = runLoop('test', async () => (at.push(Date.now()), 0), 10, silent);
    await vi.advanceTimersByTimeAsync(500);
    const stopping = loop.stop();
    await vi.advanceTimersByTimeAsync(20);
    await stopping;
    const pauses = at.slice(1).map((t, i) => t - at[i]!);
    expect(new Set(pauses)).toEqual(new Set([10]));
  });
});
