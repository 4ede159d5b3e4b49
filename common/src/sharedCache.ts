import { z } from 'zod';

/** How long the analysts' figures (ledger and green-impact) are reused by default: 30 s. */
export const DEFAULT_ANALYTICS_CACHE_TTL_MS = 30_000;

/** `ANALYTICS_CACHE_TTL_MS`, read by the ledger, green-impact and the one-process stack (0: computed per request). */
export const analyticsCacheTtlSchema = z.coerce.number().int().min(0).max(3_600_000).default(DEFAULT_ANALYTICS_CACHE_TTL_MS);

/**
 * Results shared by every request a server answers: computed once however many requests ask at
 * the same moment (they wait on the same promise), then reused for `ttlMs`. For figures that cost a
 * pass over history (a rank's distribution, analysts' aggregates) and may be a little old; each
 * result carries the moment it was computed, so an API can say "as of". A failed computation is
 * not kept. With `ttlMs` 0 every call computes.
 */
export interface SharedCacheOptions {
  ttlMs: number;
  /** Results kept at once; the oldest goes first. */
  maxEntries: number;
  clock?: () => number;
}

export interface Shared<T> {
  at: Date;
  value: T;
}

export function createSharedCache<T>(options: SharedCacheOptions) {
  const clock = options.clock ?? Date.now;
  const entries = new Map<string, { at: number; result: Promise<Shared<T>> }>();
  return {
    /** `compute` gets the moment the result will be stamped with, to read "as of" it. */
    get(key: string, compute: (at: Date) => Promise<T>): Promise<Shared<T>> {
      const now = clock();
      const hit = entries.get(key);
      if (hit && now - hit.at < options.ttlMs) return hit.result;
      const at = new Date(now);
      const result = compute(at).then((value) => ({ at, value }));
      if (options.ttlMs > 0) {
        entries.delete(key);
        entries.set(key, { at: now, result });
        while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
        result.catch(() => {
          if (entries.get(key)?.result === result) entries.delete(key);
        });
      }
      return result;
    },
  };
}
export type SharedCache<T> = ReturnType<typeof createSharedCache<T>>;
