// Proves /dashboard loads in headless Chromium, signs an analyst in, draws every aggregate from live data as an SVG chart, switches between English and Chinese, and logs no console error.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DOCUMENT = readFileSync(fileURLToPath(new URL('../../gateway/documents/dashboard/Analytics.graphql', import.meta.url)), 'utf8');
const CHARTS = ['flows-by-month', 'flows-by-merchant', 'flows-by-category', 'green-by-month', 'green-by-merchant', 'outstanding', 'tiers', 'budgets', 'settlement', 'impact-by-category', 'impact-by-month'];

type Figures = { suppressed: boolean; points: number | null };
type Flow = { byMonth: (Figures & { month: string })[]; byMerchant: (Figures & { merchant: { id: string } | null })[]; byCategory: (Figures & { category: string | null })[] };
type Drawn = { labels: string[]; series: Record<string, (number | null)[]>; suppressed: number };

let t: TestStack;
let context: BrowserContext;
/** One tab for the analyst's tests: the token lives in this tab's session storage. */
let page: Page;
let profile: string;
let base: string;
let api: Record<string, unknown> & Record<'issuance' | 'refunds' | 'redemption' | 'cancellations' | 'breakage' | 'greenIssuance' | 'greenActivities', Flow>;
const consoleErrors: string[] = [];

async function openPage(): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`${page.url()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

const drawn = (page: Page, id: string) => page.locator(`[data-chart="${id}"]`).getAttribute('data-values').then((v) => JSON.parse(v ?? '{}') as Drawn);

/** What a flow chart must draw for one flow: each label's points, null where suppressed, 0 where the flow has no row. */
function expectFlow(d: Drawn, name: string, rows: (Figures & Record<string, unknown>)[], keyOf: (r: Figures & Record<string, unknown>) => string) {
  const byKey = new Map(rows.map((r) => [keyOf(r), r]));
  expect(d.series[name], name).toEqual(d.labels.map((label) => (byKey.has(label) ? (byKey.get(label)!.suppressed ? null : byKey.get(label)!.points) : 0)));
  for (const key of byKey.keys()) expect(d.labels).toContain(key);
}

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  base = t.stack.gatewayUrl.replace(/\/graphql$/, '');
  const analyst = await t.token({ role: 'analyst', sub: 'dashboard-test' });
  const res = await t.graphql(DOCUMENT, {}, analyst).expect(200);
  expect(res.body.errors).toBeUndefined();
  api = res.body.data.analytics;
  profile = await mkdtemp(join(tmpdir(), 'gp-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, locale: 'en-GB' });
});
afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await t?.stop();
});

describe('the analytics dashboard in Chromium', () => {
  it('serves the page with a strict content security policy and the script bundled from node_modules', async () => {
    const html = await fetch(`${base}/dashboard`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await fetch(`${base}/dashboard/app.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    // ECharts is in the bundle (no CDN): its SVG renderer's code is there.
    expect(await script.text()).toMatch(/echarts|zrender/i);
    expect((await fetch(`${base}/dashboard/nothing`)).status).toBe(404);
  });

  it('signs an analyst in and draws every aggregate from live data', async () => {
    page = await openPage();
    await page.goto(`${base}/dashboard`);
    await page.locator('[data-lang="en"]').click();
    await page.fill('#token', await t.token({ role: 'analyst', sub: 'dashboard-test' }));
    await page.click('#signin button[type="submit"]');
    await page.waitForSelector('[data-chart][data-rendered="true"]');
    expect(await page.locator('[data-chart]').evaluateAll((els) => els.map((e) => e.getAttribute('data-chart')))).toEqual(CHARTS);
    // Drawn, not just configured: each chart is an SVG with shapes, titled in English.
    for (const id of CHARTS) {
      const chart = page.locator(`[data-chart="${id}"]`);
      expect(await chart.locator('svg path').count(), id).toBeGreaterThan(3);
    }
    expect(await page.locator('[data-chart="flows-by-month"] svg').textContent()).toContain('Points flows by month');
    // The token is kept for the session (this tab) only.
    expect(await page.evaluate(() => sessionStorage.getItem('greenpoints.analystToken'))).toMatch(/^ey/);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    for (const name of ['issuance', 'refunds', 'redemption', 'cancellations', 'breakage'] as const) {
      expectFlow(await drawn(page, 'flows-by-month'), name, api[name].byMonth, (r) => r['month'] as string);
      expectFlow(await drawn(page, 'flows-by-merchant'), name, api[name].byMerchant, (r) => (r['merchant'] as { id: string } | null)?.id ?? '');
      expectFlow(await drawn(page, 'flows-by-category'), name, api[name].byCategory, (r) => (r['category'] as string | null) ?? '');
    }
    for (const name of ['greenIssuance', 'greenActivities'] as const) {
      expectFlow(await drawn(page, 'green-by-month'), name, api[name].byMonth, (r) => r['month'] as string);
      expectFlow(await drawn(page, 'green-by-merchant'), name, api[name].byMerchant, (r) => (r['merchant'] as { id: string } | null)?.id ?? '');
    }
    const issuance = (await drawn(page, 'flows-by-month')).series['issuance']!;
    expect(issuance.filter((v) => v !== null && v > 0).length).toBeGreaterThan(6);

    const outstanding = api['outstanding'] as { asset: string; points: number | null }[];
    expect(await drawn(page, 'outstanding')).toEqual({ labels: outstanding.map((o) => o.asset), series: { held: outstanding.map((o) => o.points) }, suppressed: 0 });
    const tiers = (api['membersByTier'] as { byTier: { tier: string; members: number | null; suppressed: boolean }[] }).byTier;
    expect(await drawn(page, 'tiers')).toEqual({ labels: tiers.map((r) => r.tier), series: { members: tiers.map((r) => r.members) }, suppressed: tiers.filter((r) => r.suppressed).length });
    const budgets = api['budgets'] as { merchant: { id: string }; asset: string; used: number | null; remaining: number | null }[];
    expect(await drawn(page, 'budgets')).toMatchObject({
      labels: budgets.map((b) => `${b.merchant.id}:${b.asset}`),
      series: { used: budgets.map((b) => b.used), remaining: budgets.map((b) => b.remaining) },
    });
    const positions = api['settlementPositions'] as { month: string; merchant: { id: string }; netPoints: number | null }[];
    const months = [...new Set(positions.map((p) => p.month))].sort();
    const settlement = await drawn(page, 'settlement');
    expect(settlement.labels).toEqual(months);
    expect(Object.keys(settlement.series).sort()).toEqual([...new Set(positions.map((p) => p.merchant.id))].sort());
    for (const [id, values] of Object.entries(settlement.series)) {
      expect(values, id).toEqual(months.map((month) => {
        const p = positions.find((q) => q.month === month && q.merchant.id === id);
        return p ? p.netPoints : 0;
      }));
    }
    expect(settlement.suppressed).toBe(positions.filter((p) => p.netPoints === null).length);
    const green = api['greenImpact'] as { byCategory: { category: string; co2eGrams: number | null }[]; byMonth: { month: string; waterLitres: number | null }[] };
    const byCategory = await drawn(page, 'impact-by-category');
    expect(byCategory.labels).toEqual(green.byCategory.map((c) => c.category));
    expect(byCategory.series['co2eKg']).toEqual(green.byCategory.map((c) => (c.co2eGrams === null ? null : Math.round(c.co2eGrams / 10) / 100)));
    expect((await drawn(page, 'impact-by-month')).series['waterLitres']).toEqual(green.byMonth.map((m) => m.waterLitres));
  });

  it('switches to Chinese and back, redrawing every chart in that language, and stays signed in on reload', async () => {
    await page.reload();
    await page.waitForSelector('[data-chart="impact-by-month"][data-rendered="true"]');
    await page.locator('[data-lang="zh"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    expect(await page.locator('h1').textContent()).toBe('绿积分数据看板');
    expect(await page.locator('[data-chart="flows-by-month"] svg').textContent()).toContain('每月积分流动');
    expect(await page.locator('[data-chart="tiers"] svg').textContent()).toMatch(/种子|幼苗|大树|森林/);
    expect(await page.locator('[data-chart] svg').count()).toBe(CHARTS.length);
    await page.locator('[data-lang="en"]').click();
    expect(await page.locator('[data-chart="flows-by-month"] svg').textContent()).toContain('Points flows by month');
    await page.close();
  });

  it('logs no console error on any of those pages', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('tells a consumer they are refused, and draws nothing', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/dashboard`);
    await page.fill('#token', await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID }));
    await page.click('#signin button[type="submit"]');
    await page.waitForSelector('#status.error');
    expect(await page.locator('#status').textContent()).toContain('FORBIDDEN');
    expect(await page.locator('[data-chart]').count()).toBe(0);
    await page.close();
  });
});
