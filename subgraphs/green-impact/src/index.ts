import { createLogger, installProcessGuards, listen, onShutdown, requireDatabaseUrl } from '@greenpoints/common';
import { connect, loadDbConfig } from '@greenpoints/db';
import { deliveryOptions, startConsumer } from '@greenpoints/events';
import { loadConfig } from './config.ts';
import { greenImpactConsumer } from './consumers/index.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/green-impact`.
const config = loadConfig();
const dbConfig = loadDbConfig();
const logger = createLogger(config.LOG_LEVEL);
installProcessGuards(logger);
const handle = await connect({ databaseUrl: requireDatabaseUrl(dbConfig.DATABASE_URL, 'green-impact'), poolMax: dbConfig.DB_POOL_MAX });
const server = createServer({ db: handle.db, logger, signingSecret: config.SUBGRAPH_SIGNING_SECRET });
await server.start();
const listening = await listen(server.handler, config.PORT, config.HOST);
logger.info({ url: listening.url, driver: handle.driver }, 'green-impact subgraph ready');
// This subgraph's consumer runs in its own process and writes only its own schema.
const consumer = await startConsumer(handle.db, greenImpactConsumer, deliveryOptions(config), logger);
// First SIGTERM: stop taking requests, finish those in flight and the consumer's batch, close the pool.
onShutdown(logger, [() => listening.close(), () => consumer.stop(), () => server.stop(), () => handle.close()]);
