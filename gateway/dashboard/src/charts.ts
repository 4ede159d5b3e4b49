import type { Analytics, Figures, FlowReport } from './api.ts';
import type { Translate } from './i18n.ts';

/**
 * One chart per aggregate: its ECharts option, and the figures it draws (labels and series, keyed
 * by API names, not by words of either language), which the page also writes on the chart's
 * element so a test can compare what was drawn with what the API said.
 */
export interface ChartSpec {
  id: string;
  title: string;
  labels: string[];
  series: Record<string, (number | null)[]>;
  suppressed: number;
  option: Record<string, unknown>;
}

const POINT_FLOWS = ['issuance', 'refunds', 'redemption', 'cancellations', 'breakage'] as const;
const GREEN_FLOWS = ['greenIssuance', 'greenActivities'] as const;
type FlowKey = (typeof POINT_FLOWS)[number] | (typeof GREEN_FLOWS)[number];

const COLORS = ['#2e7d32', '#c62828', '#1565c0', '#f9a825', '#6d4c41', '#00897b', '#8e24aa'];
const value = (f: Figures) => (f.suppressed ? null : f.points);
const kg = (grams: number | null) => (grams === null ? null : Math.round(grams / 10) / 100);

/** Rows of several flows keyed by one label: the union of labels, each flow's value or 0 when it has no row. */
function pivot<R extends Figures>(flows: Partial<Record<FlowKey, R[]>>, labelOf: (row: R) => string) {
  const labels = [...new Set(Object.values(flows).flatMap((rows) => (rows ?? []).map(labelOf)))].sort();
  let suppressed = 0;
  const series: Record<string, (number | null)[]> = {};
  for (const [name, rows] of Object.entries(flows) as [FlowKey, R[]][]) {
    const byLabel = new Map(rows.map((r) => [labelOf(r), r]));
    series[name] = labels.map((label) => {
      const row = byLabel.get(label);
      if (row?.suppressed) suppressed++;
      return row ? value(row) : 0;
    });
  }
  return { labels, series, suppressed };
}

function subtitle(t: Translate, suppressed: number, k: number) {
  return suppressed > 0 ? t('suppressedNote', { n: suppressed, k }) : t('noneSuppressed');
}

/** A bar or line chart over labels, one series per key. */
function cartesian(
  id: string,
  title: string,
  data: { labels: string[]; series: Record<string, (number | null)[]>; suppressed: number },
  opts: {
    t: Translate;
    k: number;
    kind: 'bar' | 'line';
    horizontal?: boolean;
    stack?: boolean;
    shownLabels?: string[];
    secondAxis?: boolean;
    /** Series names when they are not words (merchant names). */
    seriesName?: (key: string) => string;
  },
): ChartSpec {
  const { t } = opts;
  // Months may skip labels; names (categories, merchants) are all shown, slanted when vertical.
  const names = opts.shownLabels !== undefined && !opts.horizontal;
  const category = { type: 'category', data: opts.shownLabels ?? data.labels, axisLabel: names ? { interval: 0, rotate: 30 } : { hideOverlap: true } };
  const values = { type: 'value' };
  // A second series of another unit (litres beside kilograms) gets its own axis on the right.
  const valueAxes = opts.secondAxis ? [values, { type: 'value', position: 'right' }] : values;
  return {
    id,
    title,
    labels: data.labels,
    series: data.series,
    suppressed: data.suppressed,
    option: {
      color: COLORS,
      title: { text: title, subtext: subtitle(t, data.suppressed, opts.k), left: 'center', textStyle: { fontSize: 15 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 12, right: 24, top: 70, bottom: 40, containLabel: true },
      xAxis: opts.horizontal ? values : category,
      yAxis: opts.horizontal ? category : valueAxes,
      series: Object.entries(data.series).map(([name, values], i) => ({
        name: opts.seriesName ? opts.seriesName(name) : t(name),
        type: opts.kind,
        data: values,
        connectNulls: false,
        ...(opts.stack ? { stack: 'total' } : {}),
        ...(opts.secondAxis && i > 0 ? { yAxisIndex: 1 } : {}),
      })),
    },
  };
}

function pie(id: string, title: string, labels: string[], values: (number | null)[], suppressed: number, t: Translate, k: number): ChartSpec {
  return {
    id,
    title,
    labels,
    series: { members: values },
    suppressed,
    option: {
      color: COLORS,
      title: { text: title, subtext: subtitle(t, suppressed, k), left: 'center', textStyle: { fontSize: 15 } },
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          // A suppressed tier is not drawn as a slice: its count is unknown, not zero.
          data: labels.flatMap((label, i) => (values[i] === null ? [] : [{ name: t(label), value: values[i] }])),
          label: { formatter: '{b}: {c}' },
        },
      ],
    },
  };
}

/** Rows are keyed by what the API names them (merchant id, category code); labels are shown in the language chosen. */
const merchantKey = (row: { merchant: { id: string } | null }) => row.merchant?.id ?? '';
const categoryKey = (row: { category: string | null }) => row.category ?? '';

function merchantNames(a: Analytics, t: Translate) {
  const names = new Map<string, string>();
  for (const flow of [...POINT_FLOWS, ...GREEN_FLOWS]) for (const r of a[flow].byMerchant) if (r.merchant) names.set(r.merchant.id, r.merchant.name ?? r.merchant.id);
  for (const p of a.settlementPositions) names.set(p.merchant.id, p.merchant.name ?? p.merchant.id);
  return (id: string) => (id === '' ? t('noMerchant') : (names.get(id) ?? id));
}
const categoryName = (t: Translate) => (code: string) => (code === '' ? t('unknown') : t(code));

/** A pivot over keys, with each key's label in the chosen language. */
function labelled<T extends { labels: string[] }>(data: T, name: (key: string) => string) {
  return { data, shownLabels: data.labels.map(name) };
}

function flowsBy<K extends 'byMonth' | 'byMerchant' | 'byCategory'>(a: Analytics, keys: readonly FlowKey[], by: K) {
  return Object.fromEntries(keys.map((key) => [key, (a[key] as FlowReport)[by]])) as Record<FlowKey, FlowReport[K]>;
}

/**
 * Each merchant's settlement position with the pool per closed month, in points (issued less
 * redeemed: positive, owed to the pool), stacked. No position in a month is 0; a suppressed one is a gap.
 */
function settlementChart(a: Analytics, t: Translate, k: number, merchant: (id: string) => string): ChartSpec {
  const positions = a.settlementPositions;
  const labels = [...new Set(positions.map((p) => p.month))].sort();
  const merchants = [...new Set(positions.map((p) => p.merchant.id))].sort();
  const series = Object.fromEntries(
    merchants.map((id) => [
      id,
      labels.map((month) => {
        const p = positions.find((q) => q.month === month && q.merchant.id === id);
        return p ? p.netPoints : 0;
      }),
    ]),
  );
  const suppressed = positions.filter((p) => p.netPoints === null).length;
  return cartesian('settlement', t('settlement'), { labels, series, suppressed }, { t, k, kind: 'bar', stack: true, seriesName: merchant });
}

/** Every chart of the dashboard, from one analytics answer. */
export function buildCharts(a: Analytics, t: Translate): ChartSpec[] {
  const k = a.minGroupSize;
  const merchant = merchantNames(a, t);
  const byMerchant = labelled(pivot(flowsBy(a, POINT_FLOWS, 'byMerchant'), merchantKey), merchant);
  const byCategory = labelled(pivot(flowsBy(a, POINT_FLOWS, 'byCategory'), categoryKey), categoryName(t));
  const greenByMerchant = labelled(pivot(flowsBy(a, GREEN_FLOWS, 'byMerchant'), merchantKey), merchant);
  const charts: ChartSpec[] = [
    cartesian('flows-by-month', t('flowsByMonth'), pivot(flowsBy(a, POINT_FLOWS, 'byMonth'), (r) => r.month), { t, k, kind: 'line' }),
    cartesian('flows-by-merchant', t('flowsByMerchant'), byMerchant.data, { t, k, kind: 'bar', horizontal: true, shownLabels: byMerchant.shownLabels }),
    cartesian('flows-by-category', t('flowsByCategory'), byCategory.data, { t, k, kind: 'bar', shownLabels: byCategory.shownLabels }),
    cartesian('green-by-month', t('greenByMonth'), pivot(flowsBy(a, GREEN_FLOWS, 'byMonth'), (r) => r.month), { t, k, kind: 'bar', stack: true }),
    cartesian('green-by-merchant', t('greenByMerchant'), greenByMerchant.data, { t, k, kind: 'bar', horizontal: true, stack: true, shownLabels: greenByMerchant.shownLabels }),
  ];

  const held = a.outstanding;
  charts.push(
    cartesian(
      'outstanding',
      t('outstanding'),
      { labels: held.map((o) => o.asset), series: { held: held.map((o) => (o.suppressed ? null : o.points)) }, suppressed: held.filter((o) => o.suppressed).length },
      { t, k, kind: 'bar', shownLabels: held.map((o) => t(o.asset)) },
    ),
  );

  const tiers = a.membersByTier.byTier;
  charts.push(pie('tiers', t('tiers'), tiers.map((r) => r.tier), tiers.map((r) => r.members), tiers.filter((r) => r.suppressed).length, t, k));

  const budgets = a.budgets;
  charts.push(
    cartesian(
      'budgets',
      t('budgets'),
      {
        labels: budgets.map((b) => `${b.merchant.id}:${b.asset}`),
        series: { used: budgets.map((b) => b.used), remaining: budgets.map((b) => b.remaining) },
        suppressed: budgets.filter((b) => b.suppressed).length,
      },
      { t, k, kind: 'bar', horizontal: true, stack: true, shownLabels: budgets.map((b) => `${b.merchant.name ?? b.merchant.id} · ${t(b.asset)}`) },
    ),
  );

  charts.push(settlementChart(a, t, k, merchant));

  const green = a.greenImpact;
  if (green) {
    const gk = green.minGroupSize;
    const categories = green.byCategory;
    charts.push(
      cartesian(
        'impact-by-category',
        t('impactByCategory'),
        { labels: categories.map((c) => c.category), series: { co2eKg: categories.map((c) => kg(c.co2eGrams)) }, suppressed: categories.filter((c) => c.suppressed).length },
        { t, k: gk, kind: 'bar', shownLabels: categories.map((c) => t(c.category)) },
      ),
    );
    const months = green.byMonth;
    charts.push(
      cartesian(
        'impact-by-month',
        t('impactByMonth'),
        {
          labels: months.map((m) => m.month),
          series: { co2eKg: months.map((m) => kg(m.co2eGrams)), waterLitres: months.map((m) => m.waterLitres) },
          suppressed: months.filter((m) => m.suppressed).length,
        },
        { t, k: gk, kind: 'line', secondAxis: true },
      ),
    );
  }
  return charts;
}
