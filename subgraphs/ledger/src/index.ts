import { configOrExit } from '@greenpoints/common';
import { runStandaloneSubgraph } from '@greenpoints/db';
import { deliveryOptions, startConsumer } from '@greenpoints/events';
import { loadConfig } from './config.ts';
import { ledgerConsumer } from './consumers/index.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/ledger`.
const config = configOrExit('ledger', () => loadConfig());
await runStandaloneSubgraph({
  name: 'ledger',
  schema: 'ledger',
  config,
  createServer: (deps) => createServer({ ...deps, analyticsMinGroupSize: config.settings.ANALYTICS_MIN_GROUP_SIZE }),
  // Its consumer runs in its own process and writes only its own schema.
  workers: async (db, logger) => [await startConsumer(db, ledgerConsumer, deliveryOptions(config.settings), logger)],
});
