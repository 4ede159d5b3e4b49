import { analyticsCacheTtlSchema, analyticsMinGroupSizeSchema, loadSubgraphConfig, subgraphConfigSchema } from '@greenpoints/common';
import { eventsConfigShape } from '@greenpoints/events';
import { z } from 'zod';
import { DEFAULT_MIN_GROUP_SIZE } from './domain/kAnonymity.ts';
import { DEFAULT_RANK_TTL_MS } from './domain/rankDistribution.ts';

/** k-anonymity for aggregate reports: the fewest distinct people a platform or merchant report may describe. */
export const minGroupSizeSchema = z.coerce.number().int().min(2).max(10_000).default(DEFAULT_MIN_GROUP_SIZE);

// Consumes events, so event delivery settings (NATS_URL, retries, batch sizes) are read here too.
const schema = subgraphConfigSchema(4004).extend({
  ...eventsConfigShape,
  REPORT_MIN_GROUP_SIZE: minGroupSizeSchema,
  ANALYTICS_MIN_GROUP_SIZE: analyticsMinGroupSizeSchema,
  ANALYTICS_CACHE_TTL_MS: analyticsCacheTtlSchema,
  /** How long `rank`'s distribution of members' totals is reused, in ms (0: computed per request). */
  REPORT_RANK_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(DEFAULT_RANK_TTL_MS),
});

export const loadConfig = (env: NodeJS.ProcessEnv = process.env) => loadSubgraphConfig(schema, env);
export type GreenConfig = ReturnType<typeof loadConfig>;
