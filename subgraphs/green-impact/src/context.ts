import { createSharedCache, type BaseContext, type SharedCache } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { DEFAULT_MIN_GROUP_SIZE, type MerchantCellDecision } from './domain/kAnonymity.ts';
import { DEFAULT_RANK_TTL_MS, type Distribution } from './domain/rankDistribution.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import { createGreenRepository, type GreenRepository } from './repositories/greenRepository.ts';
import { createReportRepository, type ReportRepository } from './repositories/reportRepository.ts';

export interface GreenDeps {
  db: Database;
  /** k-anonymity: the fewest distinct people an aggregate report may describe (config.ts). */
  minGroupSize?: number;
  /** Signs chart URLs (derived from the subgraph signing secret; chart/chartUrl.ts). */
  chartSecret?: string;
  /** How long the distribution behind `rank` is reused (REPORT_RANK_TTL_MS; domain/rankDistribution.ts). */
  rankTtlMs?: number;
}

export interface GreenContext extends BaseContext {
  db: Database;
  repo: GreenRepository;
  reports: ReportRepository;
  loaders: Loaders;
  now: Date;
  minGroupSize: number;
  chartSecret: string | null;
  /** Shared by every request this server answers. */
  rankCache: SharedCache<Distribution>;
}

export function createContextFactory(deps: GreenDeps) {
  const rankCache = createSharedCache<Distribution>({ ttlMs: deps.rankTtlMs ?? DEFAULT_RANK_TTL_MS, maxEntries: 32 });
  // Which merchants' cells may be shown over a period (and which platform cells only in part): a pass over the period's records (80 ms for a
  // year at 20,000 members), about published months, which do not change; reused as long as rank.
  const merchantCells = createSharedCache<MerchantCellDecision>({ ttlMs: deps.rankTtlMs ?? DEFAULT_RANK_TTL_MS, maxEntries: 32 });
  return (base: BaseContext): GreenContext => {
    const repo = createGreenRepository(deps.db);
    const reports = createReportRepository(deps.db);
    const minGroupSize = deps.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
    return { ...base, db: deps.db, repo, reports, now: new Date(), minGroupSize, chartSecret: deps.chartSecret ?? null, rankCache, loaders: createLoaders(repo, reports, minGroupSize, merchantCells) };
  };
}
