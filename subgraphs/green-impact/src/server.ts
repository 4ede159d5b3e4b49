import { createSharedCache, createSubgraphServer, DEFAULT_ANALYTICS_CACHE_TTL_MS, DEFAULT_ANALYTICS_MIN_GROUP_SIZE, EVENTS_STATUS_PATH, loadTypeDefs, type ServerDeps } from '@greenpoints/common';
import { greenEvents } from '@greenpoints/db/schema/green';
import { eventsStatusRoute } from '@greenpoints/events';
import { CHART_PATH } from './chart/chartUrl.ts';
import { chartRoute } from './chart/chartRoute.ts';
import { createContextFactory, type GreenDeps } from './context.ts';
import type { ImpactGroupRow } from './domain/analytics.ts';
import { createAnalyticsRepository } from './repositories/analyticsRepository.ts';
import { publishedUntil } from './domain/period.ts';
import { analyticsResolvers } from './resolvers/analytics.ts';
import { resolvers as greenResolvers } from './resolvers/index.ts';

export const name = 'green-impact';
export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

/** Green-impact's resolvers and the analysts' (kept apart: resolvers/analytics.ts), merged per type. */
function mergeResolvers(...maps: Record<string, object>[]): Record<string, object> {
  const merged: Record<string, object> = {};
  for (const map of maps) for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...fields };
  return merged;
}
export const resolvers = mergeResolvers(greenResolvers, analyticsResolvers);

export interface AnalyticsDeps {
  /** k-anonymity for analytics: the fewest distinct people behind a figure (ANALYTICS_MIN_GROUP_SIZE). */
  analyticsMinGroupSize?: number;
  /** How long one read of the analysts' impact groups is reused, in ms (ANALYTICS_CACHE_TTL_MS; 0: read per request). */
  analyticsCacheTtlMs?: number;
}

/** Builds the green-impact subgraph from injected dependencies; it never listens (index.ts does). */
export function createServer(deps: GreenDeps & AnalyticsDeps & ServerDeps) {
  const context = createContextFactory({ ...deps, chartSecret: deps.signingSecret });
  const analyticsMinGroupSize = deps.analyticsMinGroupSize ?? DEFAULT_ANALYTICS_MIN_GROUP_SIZE;
  const analyticsRepo = createAnalyticsRepository(deps.db);
  // A pass over every impact record: shared by the requests that ask at once, reused for the TTL.
  const groups = createSharedCache<ImpactGroupRow[]>({ ttlMs: deps.analyticsCacheTtlMs ?? DEFAULT_ANALYTICS_CACHE_TTL_MS, maxEntries: 1 });
  // Keyed by the last published month, so a month published while cached is read at once.
  const impactGroups = async () => {
    const until = publishedUntil(new Date());
    return (await groups.get(until.toISOString(), () => analyticsRepo.impactGroups(analyticsMinGroupSize, until))).value;
  };
  return createSubgraphServer({
    name,
    typeDefs,
    resolvers,
    ...deps,
    context: (base) => ({ ...context(base), analyticsMinGroupSize, impactGroups }),
    // The report chart, behind a signed short-lived URL (chart/chartUrl.ts), served through the gateway.
    routes: {
      [CHART_PATH]: chartRoute(deps.db, deps.signingSecret),
      [EVENTS_STATUS_PATH]: eventsStatusRoute(deps.db, { stream: 'green-impact', tables: greenEvents, consumer: 'green-impact' }),
    },
  });
}
