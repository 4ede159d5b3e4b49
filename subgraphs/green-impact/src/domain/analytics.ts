import { crossingIsConnected, suppressPartition } from '@greenpoints/common';

/** The analysts' green figures, assembled from grouped rows and made k-anonymous (common/src/kAnonymity.ts). */

export type ImpactLevel = 'cell' | 'category' | 'month' | 'total';

export interface ImpactGroupRow {
  category: string | null;
  month: string | null;
  level: ImpactLevel;
  co2eGrams: number;
  waterLitres: number;
  plasticGrams: number;
  greenPoints: number;
  records: number;
  people: number;
}

export interface ImpactFigures {
  suppressed: boolean;
  members: number | null;
  records: number | null;
  co2eGrams: number | null;
  waterLitres: number | null;
  plasticGrams: number | null;
  greenPoints: number | null;
}

const SUPPRESSED: ImpactFigures = { suppressed: true, members: null, records: null, co2eGrams: null, waterLitres: null, plasticGrams: null, greenPoints: null };
const figures = (r: ImpactGroupRow, hidden: boolean): ImpactFigures =>
  hidden
    ? SUPPRESSED
    : { suppressed: false, members: r.people, records: r.records, co2eGrams: r.co2eGrams, waterLitres: r.waterLitres, plasticGrams: r.plasticGrams, greenPoints: r.greenPoints };

/**
 * Impact by green category and by month, from the published month × category cells of k people or
 * more (analyticsRepository.ts: the rows of smaller cells are not summed at all, as in the reports
 * over many people). Each breakdown still hides its groups under k people and, with
 * them, its smallest group of k or more (so the total minus the shown groups reveals no one); if
 * categories and months split into islands, the months are hidden, since an island's sum would be
 * known from both sides. Rows are ordered by key, never by amount.
 */
export function impactAnalytics(rows: readonly ImpactGroupRow[], k: number) {
  const at = (level: ImpactLevel) => rows.filter((r) => r.level === level);
  const total = at('total')[0];
  const empty = { suppressed: false, members: 0, records: 0, co2eGrams: 0, waterLitres: 0, plasticGrams: 0, greenPoints: 0 };
  if (!total) return { minGroupSize: k, total: empty, byCategory: [], byMonth: [] };
  const everything = total.people < k;
  const categories = at('category');
  const months = at('month');
  const hiddenCategories = suppressPartition(new Map(categories.map((r) => [r.category ?? '', r.people])), k);
  const linked = crossingIsConnected(at('cell').map((r) => [r.category ?? '', r.month ?? ''] as const));
  const hiddenMonths = linked ? suppressPartition(new Map(months.map((r) => [r.month ?? '', r.people])), k) : new Set(months.map((r) => r.month ?? ''));
  const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return {
    minGroupSize: k,
    total: figures(total, everything),
    byCategory: categories
      .map((r) => ({ key: r.category ?? '', category: r.category, ...figures(r, everything || hiddenCategories.has(r.category ?? '')) }))
      .sort(byKey)
      .map(({ key: _, ...r }) => r),
    byMonth: months
      .map((r) => ({ key: r.month ?? '', month: r.month, ...figures(r, everything || hiddenMonths.has(r.month ?? '')) }))
      .sort(byKey)
      .map(({ key: _, ...r }) => r),
  };
}
