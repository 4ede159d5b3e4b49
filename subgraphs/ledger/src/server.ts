import { createSubgraphServer, DEFAULT_ANALYTICS_CACHE_TTL_MS, DEFAULT_ANALYTICS_MIN_GROUP_SIZE, EVENTS_STATUS_PATH, loadTypeDefs, type ServerDeps } from '@greenpoints/common';
import { ledgerEvents } from '@greenpoints/db/schema/ledger';
import { eventsStatusRoute } from '@greenpoints/events';
import { createContextFactory, type LedgerDeps } from './context.ts';
import { analyticsResolvers, analyticsSnapshots } from './resolvers/analytics.ts';
import { resolvers as ledgerResolvers } from './resolvers/index.ts';

export const name = 'ledger';
export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));

/** The ledger's resolvers and the analysts' (kept apart: resolvers/analytics.ts), merged per type. */
function mergeResolvers(...maps: Record<string, object>[]): Record<string, object> {
  const merged: Record<string, object> = {};
  for (const map of maps) for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...fields };
  return merged;
}
export const resolvers = mergeResolvers(ledgerResolvers, analyticsResolvers);

export interface AnalyticsDeps {
  /** k-anonymity for analytics: the fewest distinct people behind a figure (ANALYTICS_MIN_GROUP_SIZE). */
  analyticsMinGroupSize?: number;
  /** How long one read of the analysts' figures is reused, in ms (ANALYTICS_CACHE_TTL_MS; 0: read per request). */
  analyticsCacheTtlMs?: number;
}

/** Builds the ledger subgraph from injected dependencies; it never listens (index.ts does). */
export function createServer(deps: LedgerDeps & AnalyticsDeps & ServerDeps) {
  const context = createContextFactory(deps);
  const analyticsMinGroupSize = deps.analyticsMinGroupSize ?? DEFAULT_ANALYTICS_MIN_GROUP_SIZE;
  const analyticsSnapshot = analyticsSnapshots(deps.db, deps.analyticsCacheTtlMs ?? DEFAULT_ANALYTICS_CACHE_TTL_MS);
  return createSubgraphServer({
    name,
    typeDefs,
    resolvers,
    ...deps,
    context: (base) => ({ ...context(base), analyticsMinGroupSize, analyticsSnapshot }),
    routes: { [EVENTS_STATUS_PATH]: eventsStatusRoute(deps.db, { stream: 'ledger', tables: ledgerEvents, consumer: 'ledger' }) },
  });
}
