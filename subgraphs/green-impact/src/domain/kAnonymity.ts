/**
 * k-anonymity for aggregates over people: a group of fewer than k distinct people is not shown,
 * because a figure about two customers is a figure about each of them.
 */

/** The default minimum group size (REPORT_MIN_GROUP_SIZE). */
export const DEFAULT_MIN_GROUP_SIZE = 10;

/**
 * Which buckets of one breakdown (by category, by month) may be shown, given each one's size: its
 * distinct people when under k; for a bucket of k people or more, any measure that orders large
 * buckets by size (the reports give person-days, groupSizes.ts). Hiding only the small buckets is
 * not enough: the report's totals minus the shown buckets would equal the hidden ones. So when any
 * bucket is hidden, the smallest bucket of at least k people is hidden with them, and what can be
 * derived from the totals always covers k people or more. (People are not additive across
 * buckets, so the sizes of small buckets cannot be summed to reach k.)
 */
export function publishableBuckets(sizes: ReadonlyMap<string, number>, k: number): Set<string> {
  const entries = [...sizes];
  const hidden = new Set(entries.filter(([, n]) => n < k).map(([key]) => key));
  if (hidden.size > 0) {
    const smallestLarge = entries.filter(([, n]) => n >= k).sort(([ka, a], [kb, b]) => a - b || ka.localeCompare(kb))[0];
    if (smallestLarge) hidden.add(smallestLarge[0]);
  }
  return new Set(entries.filter(([key]) => !hidden.has(key)).map(([key]) => key));
}

/** A whole report over fewer than k people (but some) is refused: its totals would describe them. */
export const groupTooSmall = (people: number, k: number): boolean => people > 0 && people < k;
