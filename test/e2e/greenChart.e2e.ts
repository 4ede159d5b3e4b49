// Proves a user's green report comes as an SVG chart at a signed short-lived URL through the gateway: its bars and labels are the report's figures, in Chinese or English, and it renders in headless Chromium.
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import { DOMParser } from '@xmldom/xmldom';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const REPORT = `query ($p: PeriodInput, $lang: ReportLanguage) { me { greenImpact(period: $p) {
  chartUrl(lang: $lang) monthly { month totals { co2eKg } } byCategory { category totals { greenPoints } } } } }`;
const ZH: Record<string, string> = { LED_LIGHTING: '节能照明', WATER_SAVING: '节水器具', ENERGY_EFFICIENT_APPLIANCE: '一级能效家电', REUSABLE_BAG: '可重复使用购物袋' };

let t: TestStack;
let base: string;
let consumer: string;
const period = { year: new Date().getUTCFullYear() };

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  base = t.stack.gatewayUrl.replace(/\/graphql$/, '');
  consumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
});
afterAll(() => t?.stop());

async function reportWithChart(lang: 'ZH' | 'EN') {
  const res = await t.graphql(REPORT, { p: period, lang }, consumer).expect(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.me.greenImpact as { chartUrl: string; monthly: { month: string; totals: { co2eKg: number } }[]; byCategory: { category: string; totals: { greenPoints: number } }[] };
}

/** supertest keeps an image's body as bytes. */
const svgOf = (res: supertest.Response): string => (typeof res.text === 'string' ? res.text : Buffer.from(res.body as Buffer).toString('utf8'));

const labelsOf = (svg: string) => {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const found: string[] = [];
  const walk = (node: { nodeType: number; getAttribute?: (n: string) => string | null; childNodes?: ArrayLike<unknown> }) => {
    const label = node.nodeType === 1 ? node.getAttribute?.('aria-label') : null;
    if (label) found.push(label);
    for (const child of Array.from(node.childNodes ?? [])) walk(child as typeof node);
  };
  walk(doc.documentElement as never);
  return { doc, labels: found };
};

describe('the green report as a picture', () => {
  it('serves an SVG whose bars and labels are the report’s figures, in Chinese', async () => {
    const report = await reportWithChart('ZH');
    expect(report.chartUrl).toMatch(/^\/reports\/green-impact\.svg\?/);
    const res = await supertest(base).get(report.chartUrl).expect(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = svgOf(res);
    const { doc, labels } = labelsOf(svg);
    expect(doc.documentElement!.nodeName).toBe('svg');
    expect(report.monthly).toHaveLength(12);
    for (const m of report.monthly) expect(labels).toContain(`${m.month}: ${m.totals.co2eKg} 千克二氧化碳当量`);
    for (const c of report.byCategory) expect(labels).toContain(`${ZH[c.category] ?? c.category}: ${c.totals.greenPoints} 绿色积分`);
    expect(svg).toContain('我的绿色贡献');
    // One bar per month and per category, each a labelled mark.
    expect(labels.filter((l) => /^\d{4}-\d{2}: /.test(l))).toHaveLength(12);
  });

  it('speaks English when asked', async () => {
    const report = await reportWithChart('EN');
    const svg = svgOf(await supertest(base).get(report.chartUrl).expect(200));
    expect(svg).toContain('My green contribution');
    expect(labelsOf(svg).labels).toContain(`${report.monthly[0]!.month}: ${report.monthly[0]!.totals.co2eKg} kg CO2e`);
  });

  it('refuses an altered link, and the route is not reachable around the gateway', async () => {
    const { chartUrl } = await reportWithChart('ZH');
    await supertest(base).get(chartUrl.replace(DEMO_CONSUMER_ID, '00000000-0000-4000-8000-00000000dead')).expect(403);
    await supertest(base).post(chartUrl).expect(405);
    const direct = t.stack.subgraphUrls['green-impact']!.replace(/\/graphql$/, '');
    await supertest(direct).get(chartUrl).expect(401);
    const aggregate = await t.graphql('{ platformGreenReport { chartUrl } }', {}, await t.token({ role: 'admin', sub: 'ops-1' })).expect(200);
    expect(aggregate.body.data.platformGreenReport.chartUrl).toBeNull();
  });

  it('renders in headless Chromium to a PNG that is not blank', async () => {
    const { chartUrl } = await reportWithChart('ZH');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 640, height: 720 } });
      // An <img> as the consumer app shows it: no token, only the signed URL.
      await page.setContent(`<html><body style="margin:0;background:#fff"><img id="chart" src="${base}${chartUrl}"></body></html>`);
      await page.waitForFunction(() => {
        const img = document.getElementById('chart') as HTMLImageElement | null;
        return Boolean(img?.complete && img.naturalWidth > 0);
      });
      const shot = await page.screenshot({ type: 'png' });
      if (process.env['GREEN_CHART_PNG']) (await import('node:fs')).writeFileSync(process.env['GREEN_CHART_PNG'], shot);
      const png = PNG.sync.read(shot);
      let coloured = 0;
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4) {
        const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
        if (r < 240 || g < 240 || b < 240) coloured += 1;
        colours.add((r << 16) | (g << 8) | b);
      }
      expect(coloured / (png.width * png.height)).toBeGreaterThan(0.01);
      expect(colours.size).toBeGreaterThan(10);
    } finally {
      await browser.close();
    }
  });
});
