/**
 * How many distinct people a report's cells hold, from per-day counts. A cell is one category in one
 * UTC month: the unit an aggregate report is built from (kAnonymity.ts). Distinct people do not add
 * up across days, but they are bounded: a cell holds at least as many as its busiest day and at most
 * the sum of its days. k-anonymity only asks "fewer than k?", so the bounds settle a cell whenever
 * its busiest day has k people or all its days together have fewer than k; only the rest are
 * counted exactly, from their day member sets.
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
  /** By cell (`cellKey`). */
  byCell: Map<string, Bounds>;
  categories: string[];
}

/**
 * The sizes k-anonymity decides on: a group of fewer than k people holds its number of people (under
 * k); a larger one holds a number of k or more (its person-days).
 */
export interface GroupSizes {
  total: number;
  /** By cell (`cellKey`). */
  byCell: Map<string, number>;
}

/** A group the bounds cannot settle: its people are counted over these categories and days [fromDay, toDay). */
export interface OpenBucket {
  key: string;
  categories: string[];
  fromDay: string;
  toDay: string;
}

/** One category in one UTC month (YYYY-MM). */
export const cellKey = (month: string, category: string): string => `${month}|${category}`;

const widen = (b: Bounds | undefined, people: number): Bounds => ({ atLeast: Math.max(b?.atLeast ?? 0, people), atMost: (b?.atMost ?? 0) + people });

export function sizeBounds(days: readonly DayCount[]): SizeBounds {
  let total: Bounds = { atLeast: 0, atMost: 0 };
  const byCell = new Map<string, Bounds>();
  const categories = new Set<string>();
  for (const d of days) {
    total = widen(total, d.people);
    const key = cellKey(d.day.slice(0, 7), d.category);
    byCell.set(key, widen(byCell.get(key), d.people));
    categories.add(d.category);
  }
  return { total, byCell, categories: [...categories].sort() };
}

const settled = (b: Bounds, k: number) => b.atLeast >= k || b.atMost < k;

/** The first day of the month after `month` (YYYY-MM). */
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** The groups of a report over [fromDay, toDay) whose size relative to k the bounds leave open. */
export function unsettledBuckets(b: SizeBounds, k: number, fromDay: string, toDay: string): OpenBucket[] {
  const open: OpenBucket[] = [];
  if (!settled(b.total, k)) open.push({ key: 'total', categories: b.categories, fromDay, toDay });
  for (const [key, bounds] of b.byCell) {
    if (settled(bounds, k)) continue;
    const [month = '', category = ''] = key.split('|');
    const first = `${month}-01`;
    const next = nextMonth(month);
    open.push({ key: `cell:${key}`, categories: [category], fromDay: first > fromDay ? first : fromDay, toDay: next < toDay ? next : toDay });
  }
  return open;
}

/** The sizes to decide on, given exact counts of the open groups (by OpenBucket key). */
export function groupSizesOf(b: SizeBounds, k: number, exact: (key: string) => number | undefined): GroupSizes {
  const size = (bounds: Bounds, key: string): number => {
    if (settled(bounds, k)) return bounds.atMost;
    const people = exact(key);
    if (people === undefined) throw new Error(`no exact count for the open bucket ${key}`);
    return people >= k ? bounds.atMost : people;
  };
  return {
    total: size(b.total, 'total'),
    byCell: new Map([...b.byCell].map(([key, bounds]) => [key, size(bounds, `cell:${key}`)])),
  };
}
