import { announceDefaults, configOrExit, createLogger, installProcessGuards, listen, nonceStoreFor, onShutdown, requireDatabaseUrl } from '@greenpoints/common';
import { connect, loadDbConfig, requireLogin, subgraphConnectOptions } from '@greenpoints/db';
import { deliveryOptions, startConsumer } from '@greenpoints/events';
import { loadConfig } from './config.ts';
import { greenImpactConsumer } from './consumers/index.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/green-impact`.
const config = configOrExit('green-impact', () => loadConfig());
const dbConfig = loadDbConfig();
const logger = createLogger(config.settings.LOG_LEVEL);
announceDefaults(logger, config.defaultedSecrets);
installProcessGuards(logger);
requireDatabaseUrl(dbConfig.DATABASE_URL, 'green-impact');
// On PostgreSQL this subgraph logs in as its own role, which can use only the `green` schema.
const handle = await connect(subgraphConnectOptions(dbConfig, 'green'));
await requireLogin(handle, 'green-impact');
const server = createServer({
  db: handle.db,
  logger,
  signingSecret: config.signingSecret,
  nonces: nonceStoreFor(config.settings.REDIS_URL),
  minGroupSize: config.settings.REPORT_MIN_GROUP_SIZE,
});
await server.start();
const listening = await listen(server.handler, config.settings.PORT, config.settings.HOST);
logger.info({ url: listening.url, driver: handle.driver }, 'green-impact subgraph ready');
// This subgraph's consumer runs in its own process and writes only its own schema.
const consumer = await startConsumer(handle.db, greenImpactConsumer, deliveryOptions(config.settings), logger);
// First SIGTERM: stop taking requests, finish those in flight and the consumer's batch, close the pool.
onShutdown(logger, [() => listening.close(), () => consumer.stop(), () => server.stop(), () => handle.close()]);
