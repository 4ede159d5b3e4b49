// Proves the budgets replicas share through Redis are charged all-or-nothing under concurrency, and keep counting when Redis has lost the charging script (a restart, SCRIPT FLUSH).
import { randomUUID } from 'node:crypto';
import { redisQuotaStore } from '@greenpoints/gateway/limits/quotaStore';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

const url = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `gp:test:${randomUUID()}:`;
const [a, b] = [redisQuotaStore(url, prefix), redisQuotaStore(url, prefix)];
const admin = new Redis(url);
/** How many times Redis has run EVALSHA (the script by its hash), from its command statistics. */
const evalshaCalls = async () => Number(/cmdstat_evalsha:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
afterAll(async () => {
  await Promise.all([a.close(), b.close(), admin.quit()]);
});

describe('redisQuotaStore', () => {
  it('admits exactly the budget of 100 concurrent charges across two replicas, every budget or none, each by the script\'s hash', async () => {
    const before = await evalshaCalls();
    const minute = { key: 'p1:minute', max: 30, windowMs: 60_000 };
    const day = { key: 'p1:day', max: 1_000, windowMs: 86_400_000 };
    const charges = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).charge([minute, day], 1)));
    expect(charges.filter((c) => c.ok)).toHaveLength(30);
    // Refused charges cost nothing: the day's budget holds only what the minute's admitted.
    expect(Number(await admin.get(`${prefix}p1:day`))).toBe(30);
    // Charges send the script's hash, not its text: each replica sends the text at most once, when
    // Redis does not have the script yet.
    expect((await evalshaCalls()) - before).toBeGreaterThanOrEqual(100 - 2);
    for (const c of charges.filter((c) => !c.ok)) expect(c.ok === false && c.retryAfterMs > 0 && c.retryAfterMs <= 60_000).toBe(true);
  });

  it('keeps counting after Redis loses its scripts', async () => {
    const budget = { key: 'p2', max: 5, windowMs: 60_000 };
    expect((await a.charge([budget], 3)).ok).toBe(true);
    await admin.script('FLUSH');
    const second = await a.charge([budget], 1);
    expect(second).toEqual({ ok: true, remaining: [1] });
    expect((await b.charge([budget], 2)).ok).toBe(false);
    expect((await b.charge([budget], 1)).ok).toBe(true);
  });
});
