import { configOrExit } from '@greenpoints/common';
import { runStandaloneSubgraph } from '@greenpoints/db';
import { deliveryOptions, startConsumer } from '@greenpoints/events';
import { loadConfig, policyOf } from './config.ts';
import { ledgerConsumer } from './consumers/index.ts';
import { merchantsClient } from './merchantsClient.ts';
import { createServer } from './server.ts';
import { startLedgerWorkers } from './workers.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/ledger`.
const config = configOrExit('ledger', () => loadConfig());
const merchants = merchantsClient({ url: () => config.settings.MERCHANTS_URL, signingSecret: config.signingSecret });
const policy = policyOf(config.settings);
await runStandaloneSubgraph({
  name: 'ledger',
  schema: 'ledger',
  config,
  createServer: (deps) => createServer({ ...deps, merchants, policy, analyticsMinGroupSize: config.settings.ANALYTICS_MIN_GROUP_SIZE, analyticsCacheTtlMs: config.settings.ANALYTICS_CACHE_TTL_MS }),
  // Its consumer and background jobs run in its own process and write only its own schema.
  workers: async (db, logger) => [
    await startConsumer(db, ledgerConsumer, deliveryOptions(config.settings), logger),
    startLedgerWorkers({ db, merchants, policy, logger }),
  ],
});
