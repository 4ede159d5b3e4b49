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
 * Cost budgets (partner quotas). A charge applies to every budget or to none: a request the
 * per-day budget refuses does not use up the per-minute one. Refused requests cost nothing.
 */
export interface QuotaStore {
  charge(budgets: Budget[], cost: number): Promise<Charge>;
  close(): Promise<void>;
}

export function memoryQuotaStore(): QuotaStore {
  const windows = new Map<string, { used: number; endsAt: number }>();
  const current = (b: Budget, now: number) => {
    const w = windows.get(b.key);
    return w && w.endsAt > now ? w : { used: 0, endsAt: now + b.windowMs };
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
      budgets.forEach((b, i) => windows.set(b.key, { used: state[i]!.used + cost, endsAt: state[i]!.endsAt }));
      return Promise.resolve({ ok: true, remaining: budgets.map((b, i) => b.max - state[i]!.used - cost) });
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
  return {
    async charge(budgets, cost) {
      const args = budgets.flatMap((b) => [String(b.max), String(b.windowMs)]);
      const [ok, retryAfterMs, ...remaining] = (await redis.eval(CHARGE, budgets.length, ...budgets.map((b) => `${prefix}${b.key}`), String(cost), ...args)) as number[];
      return ok === 1 ? { ok: true, remaining } : { ok: false, remaining, retryAfterMs: retryAfterMs ?? 1_000 };
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
