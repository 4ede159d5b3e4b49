// Proves the in-memory budget store charges all windows or none, refuses without charging, and stays bounded.
import { describe, expect, it } from 'vitest';
import { memoryQuotaStore } from './quotaStore.ts';

describe('memoryQuotaStore', () => {
  it('charges every budget or none, and a refusal costs nothing', async () => {
    const store = memoryQuotaStore();
    const budgets = [
      { key: 'minute', max: 10, windowMs: 60_000 },
      { key: 'day', max: 15, windowMs: 86_400_000 },
    ];
    expect(await store.charge(budgets, 8)).toEqual({ ok: true, remaining: [2, 7] });
    const refused = await store.charge(budgets, 3);
    expect(refused).toMatchObject({ ok: false, remaining: [2, 7] });
    expect(await store.charge(budgets, 2)).toEqual({ ok: true, remaining: [0, 5] });
  });

  it('forgets the oldest windows past its bound, so new callers cannot grow it without limit', async () => {
    const store = memoryQuotaStore(2);
    const one = (key: string) => [{ key, max: 1, windowMs: 60_000 }];
    for (const key of ['a', 'b', 'c']) expect((await store.charge(one(key), 1)).ok).toBe(true);
    // 'a' was dropped to make room: its window starts again; 'c' is still remembered and full.
    expect((await store.charge(one('a'), 1)).ok).toBe(true);
    expect((await store.charge(one('c'), 1)).ok).toBe(false);
  });
});
