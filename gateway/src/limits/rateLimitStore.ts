import { Redis } from 'ioredis';

/** A fixed-window counter: how many hits a key has had in the current window, and when it resets. */
export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  close(): Promise<void>;
}

/** One gateway's memory. Windows are dropped once over, so the map holds only active callers. */
export function memoryRateLimitStore(maxKeys = 100_000): RateLimitStore {
  const windows = new Map<string, { count: number; endsAt: number }>();
  return {
    hit(key, windowMs) {
      const now = Date.now();
      let w = windows.get(key);
      if (!w || w.endsAt <= now) {
        windows.delete(key);
        w = { count: 0, endsAt: now + windowMs };
        windows.set(key, w);
        // Insertion order is age order: drop expired (or, past the bound, the oldest) windows.
        for (const [k, old] of windows) {
          if (windows.size <= maxKeys && old.endsAt > now) break;
          windows.delete(k);
        }
      }
      w.count += 1;
      return Promise.resolve({ count: w.count, resetInMs: w.endsAt - now });
    },
    close: () => Promise.resolve(),
  };
}

// INCR and set the expiry on the first hit, atomically, and report the time left.
const HIT = `local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {c, ttl}`;

/** Shared by every gateway replica, so a client cannot multiply its budget by spreading requests. */
export function redisRateLimitStore(url: string, prefix = 'gp:rl:'): RateLimitStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  return {
    async hit(key, windowMs) {
      const [count, ttl] = (await redis.eval(HIT, 1, `${prefix}${key}`, String(windowMs))) as [number, number];
      return { count, resetInMs: ttl };
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
