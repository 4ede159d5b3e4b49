// Proves replicas sharing Redis refuse a nonce that any one of them has already served.
import { randomUUID } from 'node:crypto';
import { redisNonceStore } from '@greenpoints/common';
import { afterAll, describe, expect, it } from 'vitest';

const url = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const replicaA = redisNonceStore(url, `gp:test:${randomUUID()}:`);
afterAll(() => replicaA.close?.());

describe('redisNonceStore', () => {
  it('lets exactly one of many concurrent claims of the same nonce through, across two replicas', async () => {
    const prefix = `gp:test:${randomUUID()}:`;
    const a = redisNonceStore(url, prefix);
    const b = redisNonceStore(url, prefix);
    const claims = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).claim('n-1', 10_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await Promise.all([a.close?.(), b.close?.()]);
  });

  it('keeps a nonce only for its time to live', async () => {
    expect(await replicaA.claim('short', 50)).toBe(true);
    expect(await replicaA.claim('short', 50)).toBe(false);
    await new Promise((r) => setTimeout(r, 120));
    expect(await replicaA.claim('short', 50)).toBe(true);
  });
});
