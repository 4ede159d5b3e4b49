import { suppressTable, type TableCell, type TableMargins } from '@greenpoints/common';
import type { FlowReport } from './analytics.ts';

/** One merchant's settlement flows in one UTC month (repositories/analyticsRepository.ts). */
export interface SettlementCellRow {
  merchantId: string;
  /** YYYY-MM, UTC. */
  month: string;
  /** POINTS out of its issuance budget, net of refunds back. */
  issued: number;
  /** POINTS redeemed at it, net of cancellations. */
  redeemed: number;
  /** People behind each side; null when the month has no posting on that side. */
  issuers: number | null;
  redeemers: number | null;
  /** People behind either side. */
  people: number;
  settled: boolean;
}

export interface SettlementPosition {
  month: string;
  merchantId: string;
  settled: boolean;
  suppressed: boolean;
  members: number | null;
  issuedPoints: number | null;
  redeemedPoints: number | null;
  netPoints: number | null;
}

/**
 * Settlement positions for analysts: per merchant and closed month, issued and redeemed points and
 * their difference (positive: owed to the pool), as `settle` counts them, made k-anonymous as a
 * two-way table (common/src/kAnonymityTable.ts), one table per side, each side by its own
 * people: a month with many buyers and two redeemers shows what was issued, not what those two
 * redeemed. The difference and the people count are shown only when both sides are.
 *
 * The month still open is never listed, yet its cells take part in the suppression as hidden ones:
 * a merchant's all-time figures elsewhere (issuance, budgets) include it, so without that its total
 * minus its shown months would give its open month away. No amounts in money: a merchant's price is
 * for itself, admins and auditors, and an amount beside its points would give the price away.
 */
/** Whether other analytics figures reveal a total: per merchant, per month, overall. */
export interface KnownTotals {
  row(merchantId: string): boolean;
  col(month: string): boolean;
  total: boolean;
}

/**
 * Which of a flow's groups are known: shown, absent (zero), or hidden but alone in what the shown
 * figures leave over (the only hidden merchant of a shown total or of a shown category, the only
 * hidden month), so subtraction gives it. A hidden group that shares what is left over with others
 * is unknown: the flows' own rules make such a remainder cover a group of k people.
 */
export function knownGroups(report: FlowReport): KnownTotals {
  const totalShown = !report.total.suppressed;
  const hiddenMerchants = report.byMerchant.filter((r) => r.suppressed);
  const hiddenMonths = report.byMonth.filter((r) => r.suppressed);
  const categoryShown = (category: string | null) => report.byCategory.some((c) => c.category === category && !c.suppressed);
  return {
    row: (merchantId) => {
      const row = report.byMerchant.find((r) => r.merchantId === merchantId);
      if (!row?.suppressed) return true;
      const aloneInCategory = categoryShown(row.category) && hiddenMerchants.filter((r) => r.category === row.category).length === 1;
      return (totalShown && hiddenMerchants.length === 1) || aloneInCategory;
    },
    col: (month) => !report.byMonth.find((r) => r.month === month)?.suppressed || (totalShown && hiddenMonths.length === 1),
    total: totalShown,
  };
}

/**
 * The totals of each settlement side that other figures reveal. Issued points leave a merchant's
 * issuance budget through purchases, refunds (back in) and compensation on cancellations: its total
 * per merchant is that budget's use (`budgets`), or the three flows' merchant rows together; per
 * month and overall, the three flows'. Redeemed points are the posted redemptions less
 * cancellations. `budgetShown` says whether a merchant's POINTS budget use is published.
 */
export function settlementTotals(
  flows: Record<'issuance' | 'refunds' | 'redemption' | 'cancellations', FlowReport>,
  budgetShown: (merchantId: string) => boolean,
): { issued: KnownTotals; redeemed: KnownTotals } {
  const all = (reports: FlowReport[]): KnownTotals => {
    const known = reports.map(knownGroups);
    return { row: (m) => known.every((g) => g.row(m)), col: (t) => known.every((g) => g.col(t)), total: known.every((g) => g.total) };
  };
  const issuedFlows = all([flows.issuance, flows.refunds, flows.cancellations]);
  return {
    issued: { ...issuedFlows, row: (m) => budgetShown(m) || issuedFlows.row(m) },
    redeemed: all([flows.redemption, flows.cancellations]),
  };
}

export function settlementPositions(
  cellRows: readonly SettlementCellRow[],
  openMonth: string,
  k: number,
  known?: { issued: KnownTotals; redeemed: KnownTotals },
): SettlementPosition[] {
  // Each side is its own table: a merchant-month with many buyers keeps its issuance shown while
  // its two redeemers' points are hidden.
  const hiddenBy = (side: 'issuers' | 'redeemers', totals: KnownTotals | undefined) => {
    const cells: TableCell[] = cellRows.map((r) => ({ key: `${r.month}|${r.merchantId}`, row: r.merchantId, col: r.month, people: [r[side]], hidden: r.month >= openMonth }));
    const margins: TableMargins | undefined = totals && { rowKnown: (row) => totals.row(row), colKnown: (col) => totals.col(col), totalKnown: () => totals.total };
    return suppressTable(cells, k, margins);
  };
  const issuedHidden = hiddenBy('issuers', known?.issued);
  const redeemedHidden = hiddenBy('redeemers', known?.redeemed);
  return cellRows
    .filter((r) => r.month < openMonth)
    .sort((a, b) => (a.month + a.merchantId < b.month + b.merchantId ? -1 : 1))
    .map((r) => {
      const key = `${r.month}|${r.merchantId}`;
      const issued = !issuedHidden.has(key);
      const redeemed = !redeemedHidden.has(key);
      const both = issued && redeemed;
      return {
        month: r.month,
        merchantId: r.merchantId,
        settled: r.settled,
        suppressed: !both,
        members: both ? r.people : null,
        issuedPoints: issued ? r.issued : null,
        redeemedPoints: redeemed ? r.redeemed : null,
        netPoints: both ? r.issued - r.redeemed : null,
      };
    });
}
