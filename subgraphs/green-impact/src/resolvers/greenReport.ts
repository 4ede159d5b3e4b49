import type { GreenContext } from '../context.ts';
import { buildReport } from '../domain/report.ts';
import { greenError } from '../errors.ts';
import type { ReportScope } from '../repositories/greenRepository.ts';

export interface PeriodArg {
  period?: { from: Date; to: Date } | null;
}

/** The factor behind "tree-years": CO2 one urban tree takes up in a year. */
export const TREE_FACTOR_KEY = 'urban_tree_uptake';
const MAX_PERIOD_MS = 10 * 366 * 86_400_000;

function resolvePeriod(period: PeriodArg['period'], now: Date): { from: Date; to: Date } {
  if (!period) {
    const from = new Date(now);
    from.setUTCFullYear(from.getUTCFullYear() - 1);
    return { from, to: now };
  }
  if (period.from >= period.to) throw greenError('BAD_USER_INPUT', 'period.from must be before period.to', { field: 'period' });
  if (period.to.getTime() - period.from.getTime() > MAX_PERIOD_MS) {
    throw greenError('BAD_USER_INPUT', 'A report covers at most ten years', { field: 'period' });
  }
  return period;
}

export async function greenReport(ctx: GreenContext, scope: Omit<ReportScope, 'from' | 'to'>, period: PeriodArg['period']) {
  const { from, to } = resolvePeriod(period, ctx.now);
  const full = { ...scope, from, to };
  const [rows, factors] = await Promise.all([ctx.repo.reportRows(full), ctx.loaders.factors()]);
  const treeFactor = factors.filter((f) => f.key === TREE_FACTOR_KEY).at(-1) ?? null;
  const report = buildReport(rows, treeFactor ? Number(treeFactor.value) : null);
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
