/**
 * How many distinct people a report's buckets hold, from per-day counts. Distinct people do not add
 * up across days, but they are bounded: a bucket holds at least as many as its busiest day and at
 * most the sum of its days. k-anonymity only asks "fewer than k?", so the bounds settle a bucket
 * whenever its busiest day has k people or all its days together have fewer than k; only the rest
 * are counted exactly, from their day member sets.
 */

/** Distinct people with a record in one category on one UTC day (YYYY-MM-DD). */
export interface DayCount {
  category: string;
  day: string;
  people: number;
}

export interface Bounds {
  atLeast: number;
  atMost: number;
}

export interface SizeBounds {
  total: Bounds;
  byCategory: Map<string, Bounds>;
  byMonth: Map<string, Bounds>;
  categories: string[];
}

/**
 * The sizes k-anonymity decides on. A bucket of fewer than k people holds a number under k; a
 * larger one holds its person-days (at least its people, so at least k), the measure by which the
 * smallest large bucket is chosen (kAnonymity.ts publishableBuckets).
 */
export interface GroupSizes {
  total: number;
  byCategory: Map<string, number>;
  byMonth: Map<string, number>;
}

/** A bucket the bounds cannot settle: its people are counted over these categories and days [fromDay, toDay). */
export interface OpenBucket {
  key: string;
  categories: string[];
  fromDay: string;
  toDay: string;
}

const widen = (b: Bounds | undefined, people: number): Bounds => ({ atLeast: Math.max(b?.atLeast ?? 0, people), atMost: (b?.atMost ?? 0) + people });

export function sizeBounds(days: readonly DayCount[]): SizeBounds {
  let total: Bounds = { atLeast: 0, atMost: 0 };
  const byCategory = new Map<string, Bounds>();
  const byMonth = new Map<string, Bounds>();
  for (const d of days) {
    total = widen(total, d.people);
    byCategory.set(d.category, widen(byCategory.get(d.category), d.people));
    const month = d.day.slice(0, 7);
    byMonth.set(month, widen(byMonth.get(month), d.people));
  }
  return { total, byCategory, byMonth, categories: [...byCategory.keys()].sort() };
}

const settled = (b: Bounds, k: number) => b.atLeast >= k || b.atMost < k;

/** The first day of the month after `month` (YYYY-MM). */
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** The buckets of a report over [fromDay, toDay) whose size relative to k the bounds leave open. */
export function unsettledBuckets(b: SizeBounds, k: number, fromDay: string, toDay: string): OpenBucket[] {
  const open: OpenBucket[] = [];
  if (!settled(b.total, k)) open.push({ key: 'total', categories: b.categories, fromDay, toDay });
  for (const [category, bounds] of b.byCategory) {
    if (!settled(bounds, k)) open.push({ key: `category:${category}`, categories: [category], fromDay, toDay });
  }
  for (const [month, bounds] of b.byMonth) {
    if (settled(bounds, k)) continue;
    const first = `${month}-01`;
    const next = nextMonth(month);
    open.push({ key: `month:${month}`, categories: b.categories, fromDay: first > fromDay ? first : fromDay, toDay: next < toDay ? next : toDay });
  }
  return open;
}

/** The sizes to decide on, given exact counts of the open buckets (by OpenBucket key). */
export function groupSizesOf(b: SizeBounds, k: number, exact: (key: string) => number | undefined): GroupSizes {
  const size = (bounds: Bounds, key: string): number => {
    if (settled(bounds, k)) return bounds.atMost;
    const people = exact(key);
    if (people === undefined) throw new Error(`no exact count for the open bucket ${key}`);
    return people >= k ? bounds.atMost : people;
  };
  return {
    total: size(b.total, 'total'),
    byCategory: new Map([...b.byCategory].map(([category, bounds]) => [category, size(bounds, `category:${category}`)])),
    byMonth: new Map([...b.byMonth].map(([month, bounds]) => [month, size(bounds, `month:${month}`)])),
  };
}
