import type { GreenContext } from '../context.ts';
import { groupTooSmall, publishableBuckets } from '../domain/kAnonymity.ts';
import { resolvePeriod, type Period } from '../domain/period.ts';
import { buildReport } from '../domain/report.ts';
import { greenError } from '../errors.ts';
import type { ReportScope } from '../repositories/greenRepository.ts';

export interface PeriodArg {
  period?: Period | null;
}

/** The factor behind "tree-years": t CO2 one urban tree seedling takes up over 10 years (US EPA). */
export const TREE_FACTOR_KEY = 'urban_tree_seedling_10yr';
/** kg CO2 per tree-year from the EPA figure: t over 10 years × 1000 ÷ 10. */
const treeKgPerYear = (value: string) => (Number(value) * 1000) / 10;

type Report = ReturnType<typeof buildReport>;

/**
 * A report over many people (platform, merchant) must not describe a few: a report over fewer than
 * k people is refused, and breakdown buckets under k are left out (domain/kAnonymity.ts).
 */
async function anonymise(ctx: GreenContext, scope: ReportScope, report: Report): Promise<Report> {
  const sizes = await ctx.repo.groupSizes(scope);
  if (groupTooSmall(sizes.total, ctx.minGroupSize)) {
    throw greenError('GROUP_TOO_SMALL', `This report would describe fewer than ${ctx.minGroupSize} people; choose a longer period`, {
      minGroupSize: ctx.minGroupSize,
    });
  }
  const categories = publishableBuckets(sizes.byCategory, ctx.minGroupSize);
  const months = publishableBuckets(sizes.byMonth, ctx.minGroupSize);
  return {
    ...report,
    byCategory: report.byCategory.filter((c) => categories.has(c.category)),
    monthly: report.monthly.filter((m) => months.has(m.month)),
  };
}

export async function greenReport(ctx: GreenContext, scope: Omit<ReportScope, 'from' | 'to'>, period: PeriodArg['period']) {
  const aggregate = scope.userId === undefined;
  const { from, to } = resolvePeriod(period, ctx.now, aggregate);
  const full = { ...scope, from, to };
  const [rows, factors] = await Promise.all([ctx.repo.reportRows(full), ctx.loaders.factors()]);
  const treeFactor = factors.filter((f) => f.key === TREE_FACTOR_KEY).at(-1) ?? null;
  const built = buildReport(rows, treeFactor ? treeKgPerYear(treeFactor.value) : null);
  const report = aggregate ? await anonymise(ctx, full, built) : built;
  return {
    period: { from, to },
    totals: report.totals,
    byCategory: report.byCategory,
    monthly: report.monthly,
    equivalents: { treeYears: report.treeYears, treeFactor },
    // Every factor version the records in scope rest on, so each figure can be traced to its source.
    factors: factors.filter((f) => rows.some((r) => r.factorKey === f.key && r.factorVersion === f.version)),
  };
}
