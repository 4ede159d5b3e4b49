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
 * Which merchants' cells their reports may show, and where the platform's report must leave part of
 * its cell out. A merchant's cell of k people or more is shown (keyed `month|category|merchant`).
 * The platform's cell minus the merchants' cells shown is the rest (other merchants' smaller cells,
 * records of no merchant), and every merchant knows its own sales, so that rest must be nobody or k
 * people, and so must the rest less any one merchant's part (`exposed`). Where it is not, the
 * platform's cell shows the large merchants' cells only (`partial`: month|category → those
 * merchants, none when there are none: the cell is not shown). The same for every reader.
 */
export function shownMerchantCells(rows: readonly { large: boolean; month: string; category: string; merchant: string; people: number; exposed: boolean }[], k: number) {
  const shown = new Set<string>();
  const largeOf = new Map<string, string[]>();
  for (const r of rows) {
    if (!r.large) continue;
    const column = cellKey(r.month, r.category);
    shown.add(`${column}|${r.merchant}`);
    largeOf.set(column, [...(largeOf.get(column) ?? []), r.merchant]);
  }
  const partial = new Map<string, string[]>();
  for (const r of rows) {
    if (r.large || !((r.people > 0 && r.people < k) || r.exposed)) continue;
    const column = cellKey(r.month, r.category);
    partial.set(column, largeOf.get(column) ?? []);
  }
  return { shown, partial };
}
export type MerchantCellDecision = ReturnType<typeof shownMerchantCells>;

/** A whole report over fewer than k people (but some) is refused: its totals would describe them. */
export const groupTooSmall = (people: number, k: number): boolean => people > 0 && people < k;
