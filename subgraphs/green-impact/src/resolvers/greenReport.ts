import type { GreenContext } from '../context.ts';
import { equivalentsOf } from '../domain/equivalents.ts';
import { cellKey } from '../domain/groupSizes.ts';
import { publishedCells } from '../domain/kAnonymity.ts';
import { resolvePeriod, type PeriodInput } from '../domain/period.ts';
import { buildReport, fillMonths, monthsOf } from '../domain/report.ts';
import type { FactorRow } from '../repositories/greenRepository.ts';
import type { OwnedRow, ScopeKind } from '../repositories/reportRepository.ts';

export interface PeriodArg {
  period?: PeriodInput | null;
}

/** The factor behind "tree-years": t CO2 one urban tree seedling takes up over 10 years (US EPA). */
export const TREE_FACTOR_KEY = 'urban_tree_seedling_10yr';

/** Whose report it is and over what, carried to the report's own fields (records, rank, chart). */
export interface ReportScope {
  kind: ScopeKind;
  owner: string;
  from: Date;
  to: Date;
}

export type Report = ReturnType<typeof shape> & { scope: ReportScope; period: { from: Date; to: Date } };

const sameFactor = (f: FactorRow, r: { factorKey: string | null; factorVersion: number | null }) => f.key === r.factorKey && f.version === r.factorVersion;

/**
 * The report's figures from its rows: every figure a sum of records, each with the factors it rests
 * on. The rows are grouped by the factor version their records pinned, so the equivalents convert
 * each share of CO2e with its own version at no extra query.
 */
function shape(rows: OwnedRow[], factors: FactorRow[], months: string[] | null) {
  const built = buildReport(rows, null);
  const treeFactor = factors.filter((f) => f.key === TREE_FACTOR_KEY).at(-1) ?? null;
  const items = equivalentsOf(built.totals, factors, rows);
  const usedByEquivalents = (f: FactorRow) => items.some((e) => e.factors.some((x) => x.key === f.key && x.version === f.version));
  return {
    totals: built.totals,
    byCategory: built.byCategory.map((c) => ({
      ...c,
      factors: factors.filter((f) => rows.some((r) => r.category === c.category && sameFactor(f, r))),
    })),
    monthly: months ? fillMonths(built.monthly, months) : built.monthly,
    equivalents: { treeYears: items.find((e) => e.key === 'TREE_YEARS')?.value ?? 0, treeFactor, items },
    // Every factor version the records in scope pinned and every one the equivalents convert with,
    // so each figure can be traced to its source.
    factors: factors.filter((f) => rows.some((r) => sameFactor(f, r)) || usedByEquivalents(f)),
  };
}

/**
 * A report over many people names one version per factor: the newest its records pinned. Split by
 * version, a published cell would be split below k people (a lone member's refund of a purchase
 * pinned to an older grid factor showed in the kWh basis, and the kWh and the CO2e together gave
 * it); its kWh equivalent converts the whole CO2e with that one version.
 */
function oneVersionPerFactor(rows: OwnedRow[]): OwnedRow[] {
  const newest = new Map<string, number>();
  for (const r of rows) if (r.factorKey && r.factorVersion !== null) newest.set(r.factorKey, Math.max(newest.get(r.factorKey) ?? r.factorVersion, r.factorVersion));
  return rows.map((r) => (r.factorKey ? { ...r, factorVersion: newest.get(r.factorKey) ?? r.factorVersion } : r));
}

/**
 * A report over many people (platform, merchant) must not describe a few: it sums only the month ×
 * category cells of k people or more (domain/kAnonymity.ts publishedCells), a merchant's and the
 * platform's decided together (shownMerchantCells), so no figure and no difference of two reports
 * describes fewer than k. A report with no such cell reads as zeros, whether it held nobody or a few:
 * refusing the few (GROUP_TOO_SMALL, as before) and answering nobody told the two apart.
 */
async function anonymousRows(ctx: GreenContext, scope: ReportScope, rows: OwnedRow[]): Promise<OwnedRow[]> {
  // Merchants' cells and the platform's are decided together, so that the platform's report minus
  // merchants' reports (each merchant knows its own sales) never leaves 1 to k-1 people
  // (kAnonymity.ts shownMerchantCells).
  const decision = await ctx.loaders.merchantCells.load(`${scope.from.toISOString()}|${scope.to.toISOString()}`);
  if (scope.kind === 'merchant') return rows.filter((r) => decision.shown.has(`${r.month}|${r.category}|${scope.owner}`));
  const sizes = await ctx.loaders.groupSizes.load(scope);
  const published = publishedCells(rows, sizes.byCell, ctx.minGroupSize);
  if (decision.partial.size === 0) return published;
  // Where the rest of a cell is 1 to k-1 people, the cell is its large merchants' cells only.
  const merchants = [...new Set([...decision.partial.values()].flat())];
  const theirs = (await ctx.loaders.reportRows.loadMany(merchants.map((owner) => ({ kind: 'merchant' as const, owner, from: scope.from, to: scope.to })))).flatMap((r) => {
    if (r instanceof Error) throw r;
    return r;
  });
  const partOf = (r: OwnedRow) => decision.partial.get(cellKey(r.month, r.category));
  return [...published.filter((r) => !partOf(r)), ...theirs.filter((r) => partOf(r)?.includes(r.owner))];
}

/**
 * One report. Its rows come through a DataLoader that sums many owners' records in one grouped
 * query, so a list of users or merchants with their reports costs one query per period, not one
 * per row.
 */
export async function greenReport(ctx: GreenContext, kind: ScopeKind, owner: string, period: PeriodArg['period']): Promise<Report> {
  const aggregate = kind !== 'user';
  const { from, to } = resolvePeriod(period, ctx.now, aggregate);
  const scope: ReportScope = { kind, owner, from, to };
  const [rows, factors] = await Promise.all([ctx.loaders.reportRows.load(scope), ctx.loaders.factors()]);
  const report = aggregate ? shape(oneVersionPerFactor(await anonymousRows(ctx, scope, rows)), factors, null) : shape(rows, factors, monthsOf(from, to));
  return { ...report, period: { from, to }, scope };
}
