import { configOrExit } from '@greenpoints/common';
import { runStandaloneSubgraph } from '@greenpoints/db';
import { deliveryOptions, startConsumer } from '@greenpoints/events';
import { loadConfig } from './config.ts';
import { greenImpactConsumer } from './consumers/index.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/green-impact`.
const config = configOrExit('green-impact', () => loadConfig());
await runStandaloneSubgraph({
  name: 'green-impact',
  schema: 'green',
  config,
  createServer: (deps) => createServer({ ...deps, minGroupSize: config.settings.REPORT_MIN_GROUP_SIZE, rankTtlMs: config.settings.REPORT_RANK_TTL_MS, analyticsMinGroupSize: config.settings.ANALYTICS_MIN_GROUP_SIZE, analyticsCacheTtlMs: config.settings.ANALYTICS_CACHE_TTL_MS }),
  // Its consumer runs in its own process and writes only its own schema.
  workers: async (db, logger) => [await startConsumer(db, greenImpactConsumer, deliveryOptions(config.settings), logger)],
});
