// Proves a shared result is computed once for concurrent callers, reused until its TTL, stamped with when it was computed, and never kept when it failed.
import { describe, expect, it } from 'vitest';
import { createSharedCache } from './sharedCache.ts';

describe('createSharedCache', () => {
  it('computes once for concurrent callers and again after the TTL', async () => {
    let now = 0;
    let computed = 0;
    const cache = createSharedCache<number>({ ttlMs: 1_000, maxEntries: 4, clock: () => now });
    const compute = async () => (computed += 1);
    const first = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', compute)));
    expect(computed).toBe(1);
    expect(new Set(first).size).toBe(1);
    expect(first[0]).toEqual({ at: new Date(0), value: 1 });
    now = 999;
    await cache.get('k', compute);
    expect(computed).toBe(1);
    now = 1_000;
    expect(await cache.get('k', compute)).toEqual({ at: new Date(1_000), value: 2 });
  });

  it('does not keep a failed computation, and keeps at most maxEntries', async () => {
    let calls = 0;
    const cache = createSharedCache<number>({ ttlMs: 60_000, maxEntries: 2 });
    await expect(cache.get('bad', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect((await cache.get('bad', async () => 1)).value).toBe(1);
    const count = async () => (calls += 1);
    await cache.get('a', count);
    await cache.get('b', count);
    await cache.get('a', count);
    expect(calls).toBe(2);
    await cache.get('c', count); // pushes out the oldest
    await cache.get('bad', count);
    expect(calls).toBe(4);
  });

  it('computes every time with a TTL of 0', async () => {
    let calls = 0;
    const cache = createSharedCache<number>({ ttlMs: 0, maxEntries: 4 });
    for (let i = 0; i < 3; i += 1) await cache.get('k', async () => (calls += 1));
    expect(calls).toBe(3);
  });
});
