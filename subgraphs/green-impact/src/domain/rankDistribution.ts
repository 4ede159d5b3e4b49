/**
 * Where a member stands among members needs every member's total over the period: a pass over all
 * records in it. That pass is made once per metric and period (whole UTC days) and kept for a
 * short while, shared by every request and every caller, instead of once per request; a member's
 * own total is always read fresh.
 */

/** Every member's total over a period: distinct totals ascending, and how many members have at most each. */
export interface Distribution {
  values: number[];
  /** cumulative[i] = members whose total is ≤ values[i]. */
  cumulative: number[];
  members: number;
}

/** From (total, members with it) rows in ascending order of total. */
export function distributionOf(rows: readonly { v: number; n: number }[]): Distribution {
  const values: number[] = [];
  const cumulative: number[] = [];
  let running = 0;
  for (const r of rows) {
    running += r.n;
    values.push(r.v);
    cumulative.push(running);
  }
  return { values, cumulative, members: running };
}

/** How many members had a total below `total` (binary search). */
export function membersBelow(d: Distribution, total: number): number {
  let lo = 0;
  let hi = d.values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (d.values[mid]! < total) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : d.cumulative[lo - 1]!;
}

export interface RankCacheOptions {
  /** How long a distribution is reused (REPORT_RANK_TTL_MS); 0 computes one per request. */
  ttlMs: number;
  /** Distributions kept at once (the oldest goes first). */
  maxEntries: number;
  clock?: () => number;
}

/**
 * Distributions by key, computed once however many requests ask at the same moment (they share the
 * pending promise), reused for `ttlMs`. A failed computation is not kept.
 */
export function createRankCache(options: RankCacheOptions) {
  const clock = options.clock ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<Distribution> }>();
  return {
    get(key: string, compute: () => Promise<Distribution>): Promise<Distribution> {
      const now = clock();
      const hit = entries.get(key);
      if (hit && now - hit.at < options.ttlMs) return hit.value;
      const value = compute();
      if (options.ttlMs > 0) {
        entries.delete(key);
        entries.set(key, { at: now, value });
        while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
        value.catch(() => {
          if (entries.get(key)?.value === value) entries.delete(key);
        });
      }
      return value;
    },
  };
}
export type RankCache = ReturnType<typeof createRankCache>;
