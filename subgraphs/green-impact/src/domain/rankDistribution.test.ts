// Proves the rank distribution counts members below a total exactly, and that its cache shares one computation among concurrent callers, expires, and forgets failures.
import { describe, expect, it } from 'vitest';
import { createRankCache, distributionOf, membersBelow } from './rankDistribution.ts';

describe('membersBelow', () => {
  const d = distributionOf([
    { v: 0, n: 5 },
    { v: 10, n: 2 },
    { v: 25, n: 3 },
  ]);
  it('counts members with a strictly smaller total', () => {
    expect(d.members).toBe(10);
    expect([-1, 0, 1, 10, 11, 25, 26].map((v) => membersBelow(d, v))).toEqual([0, 0, 5, 5, 7, 7, 10]);
  });
  it('is zero for an empty distribution', () => {
    expect(membersBelow(distributionOf([]), 100)).toBe(0);
  });
});

describe('createRankCache', () => {
  it('computes once for concurrent callers and again after the TTL', async () => {
    let now = 0;
    let computed = 0;
    const cache = createRankCache({ ttlMs: 1_000, maxEntries: 4, clock: () => now });
    const compute = async () => {
      computed += 1;
      return distributionOf([{ v: computed, n: 1 }]);
    };
    const first = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', compute)));
    expect(computed).toBe(1);
    expect(new Set(first).size).toBe(1);
    now = 999;
    await cache.get('k', compute);
    expect(computed).toBe(1);
    now = 1_000;
    expect((await cache.get('k', compute)).values).toEqual([2]);
  });

  it('does not keep a failed computation, and keeps at most maxEntries', async () => {
    let calls = 0;
    const cache = createRankCache({ ttlMs: 60_000, maxEntries: 2 });
    await expect(cache.get('bad', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect((await cache.get('bad', async () => distributionOf([{ v: 1, n: 1 }]))).members).toBe(1);
    const count = async () => {
      calls += 1;
      return distributionOf([]);
    };
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
    const cache = createRankCache({ ttlMs: 0, maxEntries: 4 });
    for (let i = 0; i < 3; i += 1) await cache.get('k', async () => distributionOf([{ v: (calls += 1), n: 1 }]));
    expect(calls).toBe(3);
  });
});
