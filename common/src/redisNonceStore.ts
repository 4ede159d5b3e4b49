import { Redis } from 'ioredis';
import type { NonceStore } from './signing.ts';

/**
 * Nonces shared by every replica of a subgraph: with N copies behind a load balancer, a request
 * replayed to another copy is still refused. `SET NX PX` claims a nonce atomically.
 */
export function redisNonceStore(url: string, prefix = 'gp:nonce:'): NonceStore {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  return {
    async claim(nonce, ttlMs) {
      const set = await redis.set(`${prefix}${nonce}`, '1', 'PX', ttlMs, 'NX');
      return set === 'OK';
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
