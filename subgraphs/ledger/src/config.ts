import { analyticsCacheTtlSchema, analyticsMinGroupSizeSchema, loadSubgraphConfig, subgraphConfigSchema } from '@greenpoints/common';
import { eventsConfigShape } from '@greenpoints/events';
import { z } from 'zod';
import { DEFAULT_POLICY, type LedgerPolicy } from './policy.ts';

// Consumes events, so event delivery settings (NATS_URL, retries, batch sizes) are read here too.
const schema = subgraphConfigSchema(4003)
  .extend({ ...eventsConfigShape, ANALYTICS_MIN_GROUP_SIZE: analyticsMinGroupSizeSchema, ANALYTICS_CACHE_TTL_MS: analyticsCacheTtlSchema })
  .extend({
    /** The merchants subgraph, for stock on redemption (signed with the service principal). */
    MERCHANTS_URL: z.url().default('http://127.0.0.1:4002/graphql'),
    PURCHASE_WINDOW_DAYS: z.coerce.number().int().min(0).max(90).default(DEFAULT_POLICY.purchaseWindowDays),
    GREEN_POINTS_PER_ORDER_CAP: z.coerce.number().int().min(0).default(DEFAULT_POLICY.greenPointsPerOrderCap),
  });

export const loadConfig = (env: NodeJS.ProcessEnv = process.env) => loadSubgraphConfig(schema, env);
export type LedgerConfig = ReturnType<typeof loadConfig>;

export const policyOf = (settings: { PURCHASE_WINDOW_DAYS: number; GREEN_POINTS_PER_ORDER_CAP: number }): LedgerPolicy => ({
  ...DEFAULT_POLICY,
  purchaseWindowDays: settings.PURCHASE_WINDOW_DAYS,
  greenPointsPerOrderCap: settings.GREEN_POINTS_PER_ORDER_CAP,
});
