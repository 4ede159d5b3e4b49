import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type ChartLang = 'en' | 'zh';

export interface ChartData {
  from: Date;
  to: Date;
  monthly: { month: string; co2eKg: number }[];
  byCategory: { category: string; greenPoints: number }[];
  totals: { co2eKg: number; greenPoints: number; waterLitres: number };
}

const CATEGORY_NAMES: Record<string, { en: string; zh: string }> = {
  LED_LIGHTING: { en: 'LED lighting', zh: '节能照明' },
  WATER_SAVING: { en: 'Water saving', zh: '节水器具' },
  ENERGY_EFFICIENT_APPLIANCE: { en: 'Efficient appliances', zh: '一级能效家电' },
  REUSABLE_BAG: { en: 'Reusable bags', zh: '可重复使用购物袋' },
  SECOND_HAND: { en: 'Second hand', zh: '二手商品' },
  PUBLIC_TRANSIT: { en: 'Public transport', zh: '公共交通' },
  RAIL_TRAVEL: { en: 'Rail travel', zh: '铁路出行' },
  E_RECEIPT: { en: 'E-receipts', zh: '电子票据' },
  GREEN_SURVEY: { en: 'Surveys', zh: '环保问卷' },
  GREEN_TRAINING: { en: 'Trainings', zh: '绿色培训' },
  RECYCLING: { en: 'Recycling', zh: '回收' },
};

const TEXT = {
  en: {
    title: 'My green contribution',
    monthly: 'CO2e avoided per month (kg)',
    month: 'Month',
    kg: 'kg CO2e',
    categories: 'Green points by category',
    points: 'Green points',
    summary: (d: ChartData) => `${d.totals.co2eKg.toFixed(1)} kg CO2e avoided · ${d.totals.waterLitres} L water saved · ${d.totals.greenPoints} green points`,
  },
  zh: {
    title: '我的绿色贡献',
    monthly: '每月减少的二氧化碳当量(千克)',
    month: '月份',
    kg: '千克二氧化碳当量',
    categories: '各类别绿色积分',
    points: '绿色积分',
    summary: (d: ChartData) => `减少二氧化碳当量 ${d.totals.co2eKg.toFixed(1)} 千克 · 节水 ${d.totals.waterLitres} 升 · 绿色积分 ${d.totals.greenPoints}`,
  },
};

/** Fonts that carry Chinese on the platforms the app runs on, then any sans-serif. */
const FONT = "'PingFang SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";
const GREEN = '#2e7d32';

export const categoryName = (category: string, lang: ChartLang) => CATEGORY_NAMES[category]?.[lang] ?? category;

/** The chart as a Vega-Lite spec: a monthly bar series over a category breakdown, every bar labelled for screen readers. */
export function chartSpec(data: ChartData, lang: ChartLang): TopLevelSpec {
  const t = TEXT[lang];
  const period = `${data.from.toISOString().slice(0, 10)} – ${new Date(data.to.getTime() - 1).toISOString().slice(0, 10)}`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: t.title, subtitle: [period, t.summary(data)], anchor: 'start', fontSize: 18, offset: 16 },
    config: { font: FONT, view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 } },
    vconcat: [
      {
        title: t.monthly,
        width: 480,
        height: 200,
        data: { values: data.monthly.map((m) => ({ month: m.month, kg: m.co2eKg, label: `${m.month}: ${m.co2eKg} ${t.kg}` })) },
        mark: { type: 'bar', color: GREEN },
        encoding: {
          x: { field: 'month', type: 'ordinal', title: t.month, axis: { labelAngle: -45 } },
          y: { field: 'kg', type: 'quantitative', title: t.kg },
          description: { field: 'label' },
        },
      },
      {
        title: t.categories,
        width: 480,
        height: { step: 22 },
        data: { values: data.byCategory.map((c) => ({ name: categoryName(c.category, lang), points: c.greenPoints, label: `${categoryName(c.category, lang)}: ${c.greenPoints} ${t.points}` })) },
        mark: { type: 'bar', color: '#66bb6a' },
        encoding: {
          // Vega measures text without a canvas by Latin widths, so CJK labels get room of their own.
          y: { field: 'name', type: 'nominal', title: null, sort: '-x', axis: { minExtent: 110, labelLimit: 200 } },
          x: { field: 'points', type: 'quantitative', title: t.points },
          description: { field: 'label' },
        },
      },
    ],
  };
}

/** Renders the chart to SVG on the server (Vega's SVG renderer needs no canvas). */
export async function renderReportSvg(data: ChartData, lang: ChartLang): Promise<string> {
  const view = new vega.View(vega.parse(compile(chartSpec(data, lang)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
