import { analyticsMinGroupSizeSchema, loadSubgraphConfig, subgraphConfigSchema } from '@greenpoints/common';
import { eventsConfigShape } from '@greenpoints/events';

// Consumes events, so event delivery settings (NATS_URL, retries, batch sizes) are read here too.
const schema = subgraphConfigSchema(4003).extend({ ...eventsConfigShape, ANALYTICS_MIN_GROUP_SIZE: analyticsMinGroupSizeSchema });

export const loadConfig = (env: NodeJS.ProcessEnv = process.env) => loadSubgraphConfig(schema, env);
export type LedgerConfig = ReturnType<typeof loadConfig>;
