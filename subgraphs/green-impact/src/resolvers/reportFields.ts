import { decodeCursor, hasCursorShape, isUuid, pageSize, toConnection } from '@greenpoints/common';
import type { GreenContext } from '../context.ts';
import type { Equivalent } from '../domain/equivalents.ts';
import type { FactorRefs } from '@greenpoints/db/schema/green';
import { groupTooSmall } from '../domain/kAnonymity.ts';
import { endOfUtcDay, startOfUtcDay } from '../domain/period.ts';
import { distributionOf, membersBelow } from '../domain/rankDistribution.ts';
import type { Metric } from '../repositories/reportRepository.ts';
import type { Report } from './greenReport.ts';
import { signChartUrl } from '../chart/chartUrl.ts';

type Lang = 'EN' | 'ZH';
const inLang = (text: { en: string; zh: string }, lang: Lang | null | undefined) => (lang === 'ZH' ? text.zh : text.en);

const isRecordCursor = (v: unknown): v is { at: string; id: string } =>
  hasCursorShape(v, ['at', 'id']) && typeof v['at'] === 'string' && !Number.isNaN(Date.parse(v['at'])) && typeof v['id'] === 'string' && isUuid(v['id']);

type RecordRow = Awaited<ReturnType<GreenContext['reports']['recordsPage']>>[number];

export const reportFieldResolvers = {
  GreenReport: {
    /** A signed, short-lived URL of the user's report as an SVG chart; null for aggregates. */
    chartUrl: (report: Report, args: { lang?: Lang | null }, ctx: GreenContext) => {
      if (report.scope.kind !== 'user' || !ctx.chartSecret) return null;
      const { owner, from, to } = report.scope;
      return signChartUrl({ userId: owner, from, to, lang: args.lang === 'EN' ? 'en' : 'zh' }, ctx.chartSecret);
    },
    /**
     * Among members with a green record; null for aggregates and when members are too few to rank
     * among. Over the report's period widened to whole UTC days, so every request for the same
     * days shares one distribution of members' totals (at most REPORT_RANK_TTL_MS old); the
     * member's own total is read fresh.
     */
    rank: async (report: Report, args: { metric?: Metric | null }, ctx: GreenContext) => {
      if (report.scope.kind !== 'user') return null;
      const metric = args.metric ?? 'CO2E';
      const from = startOfUtcDay(report.scope.from);
      const to = endOfUtcDay(report.scope.to);
      const [{ value: distribution }, mine] = await Promise.all([
        ctx.rankCache.get(`${metric}|${from.toISOString()}|${to.toISOString()}`, async () => distributionOf(await ctx.reports.memberTotals(metric, from, to))),
        ctx.reports.memberTotal(report.scope.owner, metric, from, to),
      ]);
      const { members } = distribution;
      if (members === 0 || groupTooSmall(members, ctx.minGroupSize)) return null;
      return { metric, members, percentile: Math.round((1000 * membersBelow(distribution, mine)) / members) / 10 };
    },
    records: async (report: Report, args: { first?: number | null; after?: string | null }, ctx: GreenContext) => {
      if (report.scope.kind !== 'user') return null;
      const size = pageSize(args.first);
      const after = args.after ? decodeCursor(args.after, isRecordCursor) : undefined;
      const rows = await ctx.reports.recordsPage(report.scope.owner, report.scope.from, report.scope.to, after ? { at: new Date(after.at), id: after.id } : undefined, size + 1);
      return toConnection(rows, size, (r) => ({ at: r.record.occurredAt.toISOString(), id: r.record.id }), Boolean(after));
    },
  },
  Equivalent: {
    label: (e: Equivalent, args: { lang?: Lang | null }) => inLang(e.label, args.lang),
    unit: (e: Equivalent, args: { lang?: Lang | null }) => inLang(e.unit, args.lang),
    factors: async (e: Equivalent, _: unknown, ctx: GreenContext) => {
      const all = await ctx.loaders.factors();
      return all.filter((f) => e.factors.some((x) => x.key === f.key && x.version === f.version));
    },
  },
  ImpactRecord: {
    id: (r: RecordRow) => r.record.id,
    source: (r: RecordRow) => (r.record.reversesId ? 'REVERSAL' : r.record.sourceRef.startsWith('activity:') ? 'ACTIVITY' : 'PURCHASE_LINE'),
    sourceRef: (r: RecordRow) => r.record.sourceRef,
    reverses: (r: RecordRow) => r.record.reversesId,
    category: (r: RecordRow) => r.record.category,
    sku: (r: RecordRow) => r.record.sku,
    quantity: (r: RecordRow) => r.record.quantity,
    co2eGrams: (r: RecordRow) => r.record.co2eGrams,
    waterLitres: (r: RecordRow) => r.record.waterLitres,
    plasticGrams: (r: RecordRow) => r.record.plasticGrams,
    greenPoints: (r: RecordRow) => r.record.greenPoints,
    occurredAt: (r: RecordRow) => r.record.occurredAt,
    profileVersion: (r: RecordRow) => r.record.profileVersion,
    factors: async (r: RecordRow, _: unknown, ctx: GreenContext) => {
      const refs: FactorRefs = r.profileFactors ?? (r.record.factorKey && r.record.factorVersion !== null ? [{ key: r.record.factorKey, version: r.record.factorVersion }] : []);
      const all = await ctx.loaders.factors();
      return refs.flatMap((ref) => all.filter((f) => f.key === ref.key && f.version === ref.version));
    },
  },
};
