import type { ServerResponse } from 'node:http';
import type { SubgraphRoute } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { buildReport, fillMonths, monthsOf } from '../domain/report.ts';
import { createReportRepository } from '../repositories/reportRepository.ts';
import { verifyChartUrl } from './chartUrl.ts';
import { renderReportSvg, type ChartData } from './reportChart.ts';

function refuse(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(message);
}

/** The chart's figures: the same sums as the user's report over the same period. */
export async function chartDataFor(db: Database, userId: string, from: Date, to: Date): Promise<ChartData> {
  const rows = await createReportRepository(db).rows('user', [userId], from, to);
  const report = buildReport(rows, null);
  return {
    from,
    to,
    monthly: fillMonths(report.monthly, monthsOf(from, to)).map((m) => ({ month: m.month, co2eKg: m.totals.co2eKg })),
    byCategory: report.byCategory.map((c) => ({ category: c.category, greenPoints: c.totals.greenPoints })),
    totals: report.totals,
  };
}

/** GET /reports/green-impact.svg?…&sig=…: the user's report as a picture, for a signed URL only. */
export function chartRoute(db: Database, secret: string): SubgraphRoute {
  return async (url, res) => {
    const request = verifyChartUrl(url, secret);
    if (!request) return refuse(res, 403, 'This chart link is invalid or has expired; ask for a new one.');
    const svg = await renderReportSvg(await chartDataFor(db, request.userId, request.from, request.to), request.lang);
    res
      .writeHead(200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'cache-control': 'private, max-age=300',
        // Shown as an image it runs nothing; opened on its own it must not either.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        'x-content-type-options': 'nosniff',
      })
      .end(svg);
  };
}
