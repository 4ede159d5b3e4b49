/**
 * k-anonymity for aggregates over people: a group of fewer than k distinct people is not shown,
 * because a figure about two customers is a figure about each of them.
 */
import { cellKey } from './groupSizes.ts';

/** The default minimum group size (REPORT_MIN_GROUP_SIZE). */
export const DEFAULT_MIN_GROUP_SIZE = 10;

/**
 * The rows an aggregate report may sum: those of month × category cells of at least k distinct
 * people (`sizes`, by `cellKey`; a cell without a size counts as empty). Every figure of the report
 * (totals, categories, months, equivalents) is then a sum of whole published cells. Hiding small
 * breakdown buckets from a report that still counted them in its totals was not enough: two reports
 * a month apart differ by that month, and the difference of their totals described whoever that
 * month's small cells held. With cells as the unit, any difference of two reports is a sum of
 * cells of k people or more.
 */
export function publishedCells<R extends { month: string; category: string }>(rows: readonly R[], sizes: ReadonlyMap<string, number>, k: number): R[] {
  return rows.filter((r) => (sizes.get(cellKey(r.month, r.category)) ?? 0) >= k);
}

/**
 * Which merchants' cells their reports may show, keyed `month|category|merchant`. The platform's
 * report shows its cell whole, so the platform's cell minus the merchants' cells shown must not
 * describe fewer than k people either: given the cells of k people or more (`people`) and, per
 * platform cell, the people of the rest (`rest`: other merchants' smaller cells, records of no
 * merchant), a cell whose rest holds some people but fewer than k also hides its smallest large
 * merchant cell, and then the rest holds at least that cell's k. The same for every reader, so
 * two merchants' reports subtracted from the platform's leave k people or none.
 */
export function shownMerchantCells(cells: readonly { month: string; category: string; merchant: string; people: number; rest: number }[], k: number): Set<string> {
  const byColumn = new Map<string, typeof cells[number][]>();
  for (const c of cells) {
    const key = cellKey(c.month, c.category);
    byColumn.set(key, [...(byColumn.get(key) ?? []), c]);
  }
  const shown = new Set<string>();
  for (const column of byColumn.values()) {
    const ordered = [...column].sort((a, b) => a.people - b.people || (a.merchant < b.merchant ? -1 : a.merchant > b.merchant ? 1 : 0));
    const rest = ordered[0]!.rest;
    const keep = rest > 0 && rest < k ? ordered.slice(1) : ordered;
    for (const c of keep) shown.add(`${cellKey(c.month, c.category)}|${c.merchant}`);
  }
  return shown;
}

/** A whole report over fewer than k people (but some) is refused: its totals would describe them. */
export const groupTooSmall = (people: number, k: number): boolean => people > 0 && people < k;
