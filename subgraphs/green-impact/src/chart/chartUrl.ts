import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '@greenpoints/common';
import type { ChartLang } from './reportChart.ts';

/** Where the gateway serves the chart; the URL the app gets is this path with a signed query. */
export const CHART_PATH = '/reports/green-impact.svg';
/** How long a chart URL works: long enough to load a screen, short enough that a leaked one soon expires. */
export const CHART_URL_TTL_S = 300;

export interface ChartRequest {
  userId: string;
  from: Date;
  to: Date;
  lang: ChartLang;
}

/** A key of its own, derived from the subgraph signing secret, so a chart signature opens nothing else. */
const keyOf = (secret: string) => createHmac('sha256', secret).update('greenpoints:green-report-chart-url:v1').digest();
const macOf = (secret: string, parts: string[]) => createHmac('sha256', keyOf(secret)).update(parts.join('\n')).digest('base64url');

/**
 * A short-lived URL for one user's chart over one period: an <img src> cannot send the user's
 * token, and a token in a query string would outlive the picture in logs and history. The URL
 * grants only this picture, for a few minutes.
 */
export function signChartUrl(r: ChartRequest, secret: string, nowMs = Date.now()): string {
  const exp = String(Math.floor(nowMs / 1000) + CHART_URL_TTL_S);
  const params = new URLSearchParams({ user: r.userId, from: r.from.toISOString(), to: r.to.toISOString(), lang: r.lang, exp });
  params.set('sig', macOf(secret, [r.userId, params.get('from')!, params.get('to')!, r.lang, exp]));
  return `${CHART_PATH}?${params.toString()}`;
}

/** The request a chart URL names, or null if it is altered, expired or malformed. */
export function verifyChartUrl(url: URL, secret: string, nowMs = Date.now()): ChartRequest | null {
  const q = url.searchParams;
  const [user, from, to, lang, exp, sig] = ['user', 'from', 'to', 'lang', 'exp', 'sig'].map((k) => q.get(k) ?? '');
  if (!user || !isUuid(user) || (lang !== 'en' && lang !== 'zh') || !/^\d{1,12}$/.test(exp!) || !sig) return null;
  const expected = Buffer.from(macOf(secret, [user, from!, to!, lang, exp!]));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  if (Number(exp) * 1000 < nowMs) return null;
  const [f, t] = [new Date(from!), new Date(to!)];
  if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime()) || f >= t) return null;
  return { userId: user, from: f, to: t, lang };
}
