/**
 * Where a member stands among members needs every member's total over the period: a pass over all
 * records in it. That pass is made once per metric and period (whole UTC days) and kept for a
 * short while, shared by every request and every caller, instead of once per request; a member's
 * own total is always read fresh.
 */

/** The default REPORT_RANK_TTL_MS: how long a distribution is reused, a minute. */
export const DEFAULT_RANK_TTL_MS = 60_000;

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
