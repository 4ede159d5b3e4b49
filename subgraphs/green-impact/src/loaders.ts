import { isCleanText, rowLoader, type SharedCache } from '@greenpoints/common';
import DataLoader from 'dataloader';
import { shownMerchantCells, type MerchantCellDecision } from './domain/kAnonymity.ts';
import type { FactorRow, GreenRepository } from './repositories/greenRepository.ts';
import type { GroupSizes, OwnedRow, ReportRepository, ScopeKind } from './repositories/reportRepository.ts';

/** SKUs are at most this long everywhere; a longer or malformed one cannot exist and is not looked up. */
export const MAX_SKU_LENGTH = 64;

interface ScopeKey {
  kind: ScopeKind;
  owner: string;
  from: Date;
  to: Date;
}
const keyOf = (s: ScopeKey) => `${s.kind}|${s.owner}|${s.from.toISOString()}|${s.to.toISOString()}`;

/** Groups many reports' keys by kind and period: one query per group, each row back to its owner. */
async function batchByPeriod<T>(keys: readonly ScopeKey[], load: (kind: ScopeKind, owners: string[], from: Date, to: Date) => Promise<Map<string, T>>, empty: () => T): Promise<T[]> {
  const groups = new Map<string, ScopeKey[]>();
  for (const k of keys) {
    const g = `${k.kind}|${k.from.toISOString()}|${k.to.toISOString()}`;
    groups.set(g, [...(groups.get(g) ?? []), k]);
  }
  const results = new Map<string, T>();
  for (const group of groups.values()) {
    const first = group[0]!;
    const byOwner = await load(first.kind, [...new Set(group.map((k) => k.owner))], first.from, first.to);
    for (const k of group) results.set(keyOf(k), byOwner.get(k.owner) ?? empty());
  }
  return keys.map((k) => results.get(keyOf(k)) ?? empty());
}

/**
 * Built per request, so nothing is cached across callers but the merchants' shown cells (published
 * months do not change; `merchantCellsCache`); `minGroupSize` is the k of k-anonymity.
 */
export function createLoaders(repo: GreenRepository, reports: ReportRepository, minGroupSize: number, merchantCellsCache?: SharedCache<MerchantCellDecision>) {
  let factors: Promise<FactorRow[]> | undefined;
  return {
    profile: rowLoader((skus) => repo.profilesBySkus(skus), (p) => p.sku, (sku) => isCleanText(sku, MAX_SKU_LENGTH)),
    /**
     * The factor table is small; it is read once per request at most. A drizzle query is lazy and
     * runs again at every `await`, so the promise of its result is kept, not the query.
     */
    factors: () => (factors ??= repo.factors().then((rows) => rows)),
    reportRows: new DataLoader<ScopeKey, OwnedRow[], string>(
      (keys) =>
        batchByPeriod(
          keys,
          async (kind, owners, from, to) => {
            const byOwner = new Map<string, OwnedRow[]>();
            for (const row of await reports.rows(kind, owners, from, to)) byOwner.set(row.owner, [...(byOwner.get(row.owner) ?? []), row]);
            return byOwner;
          },
          () => [],
        ),
      { cacheKeyFn: keyOf, maxBatchSize: 500 },
    ),
    /** The merchants' cells their reports may show and the platform's partial cells, per period: one pass for every report asked at once. */
    merchantCells: new DataLoader<string, MerchantCellDecision>(
      (periods) =>
        Promise.all(
          periods.map(async (period) => {
            const [from = '', to = ''] = period.split('|');
            const compute = async () => shownMerchantCells(await reports.merchantCells(new Date(from), new Date(to), minGroupSize), minGroupSize);
            return merchantCellsCache ? (await merchantCellsCache.get(period, compute)).value : compute();
          }),
        ),
    ),
    groupSizes: new DataLoader<ScopeKey, GroupSizes, string>(
      (keys) =>
        batchByPeriod(
          keys,
          (_kind, owners, from, to) => reports.groupSizes(owners, from, to, minGroupSize),
          () => ({ total: 0, byCell: new Map() }),
        ),
      { cacheKeyFn: keyOf, maxBatchSize: 500 },
    ),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
