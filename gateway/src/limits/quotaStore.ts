import { Redis } from 'ioredis';

/** One budget: at most `max` cost units per fixed window of `windowMs`. */
export interface Budget {
  key: string;
  max: number;
  windowMs: number;
}

export type Charge =
  | { ok: true; remaining: number[] }
  /** Refused: nothing was charged; `retryAfterMs` is when the first exhausted window resets. */
  | { ok: false; remaining: number[]; retryAfterMs: number };

/**
 * Budgets per fixed window: partner quotas (in cost units) and per-principal rate limits (a cost of
 * one per request). A charge applies to every budget or to none: a request the
 * per-day budget refuses does not use up the per-minute one. Refused requests cost nothing.
 */
export interface QuotaStore {
  charge(budgets: Budget[], cost: number): Promise<Charge>;
  close(): Promise<void>;
}

/**
 * One gateway's memory. Bounded: expired windows are dropped as new ones open (insertion order is
 * age order), and past `maxKeys` the oldest go first, so a flood of new callers cannot grow it.
 */
export function memoryQuotaStore(maxKeys = 100_000): QuotaStore {
  const windows = new Map<string, { used: number; endsAt: number }>();
  const current = (b: Budget, now: number) => {
    const w = windows.get(b.key);
    return w && w.endsAt > now ? w : { used: 0, endsAt: now + b.windowMs };
  };
  const open = (key: string, window: { used: number; endsAt: number }, now: number) => {
    if (windows.get(key) === window) return;
    windows.delete(key);
    windows.set(key, window);
    for (const [k, old] of windows) {
      if (windows.size <= maxKeys && old.endsAt > now) break;
      windows.delete(k);
    }
  };
  return {
    charge(budgets, cost) {
      const now = Date.now();
      const state = budgets.map((b) => current(b, now));
      const over = budgets.findIndex((b, i) => state[i]!.used + cost > b.max);
      if (over >= 0) {
        const remaining = budgets.map((b, i) => Math.max(0, b.max - state[i]!.used));
        return Promise.resolve({ ok: false, remaining, retryAfterMs: state[over]!.endsAt - now });
      }
      budgets.forEach((b, i) => {
        state[i]!.used += cost;
        open(b.key, state[i]!, now);
      });
      return Promise.resolve({ ok: true, remaining: budgets.map((b, i) => b.max - state[i]!.used) });
    },
    close: () => Promise.resolve(),
  };
}

// KEYS: one per budget; ARGV: cost, then max and window for each. Returns {ok, retryAfterMs, remaining…}.
const CHARGE = `local cost = tonumber(ARGV[1])
local used = {}
for i, k in ipairs(KEYS) do used[i] = tonumber(redis.call('GET', k) or '0') end
for i, k in ipairs(KEYS) do
  local max = tonumber(ARGV[2 * i])
  if used[i] + cost > max then
    local ttl = redis.call('PTTL', k)
    local out = {0, ttl < 0 and tonumber(ARGV[2 * i + 1]) or ttl}
    for j = 1, #KEYS do out[#out + 1] = math.max(0, tonumber(ARGV[2 * j]) - used[j]) end
    return out
  end
end
local out = {1, 0}
for i, k in ipairs(KEYS) do
  local now = redis.call('INCRBY', k, cost)
  if now == cost or redis.call('PTTL', k) < 0 then redis.call('PEXPIRE', k, ARGV[2 * i + 1]) end
  out[#out + 1] = tonumber(ARGV[2 * i]) - now
end
return out`;

/** Shared by every gateway replica: a partner's budget is one budget, however many gateways serve it. */
export function redisQuotaStore(url: string, prefix = 'gp:quota:'): QuotaStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  // A defined command runs as EVALSHA (the script is sent once, not with every request) and falls
  // back to EVAL when Redis has lost it (a restart, SCRIPT FLUSH).
  redis.defineCommand('greenpointsCharge', { lua: CHARGE });
  const run = (redis as unknown as { greenpointsCharge(numKeys: number, ...args: string[]): Promise<number[]> }).greenpointsCharge.bind(redis);
  return {
    async charge(budgets, cost) {
      const args = budgets.flatMap((b) => [String(b.max), String(b.windowMs)]);
      const [ok, retryAfterMs, ...remaining] = await run(budgets.length, ...budgets.map((b) => `${prefix}${b.key}`), String(cost), ...args);
      return ok === 1 ? { ok: true, remaining } : { ok: false, remaining, retryAfterMs: retryAfterMs ?? 1_000 };
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
