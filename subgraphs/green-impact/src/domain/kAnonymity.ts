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

/** A whole report over fewer than k people (but some) is refused: its totals would describe them. */
export const groupTooSmall = (people: number, k: number): boolean => people > 0 && people < k;
