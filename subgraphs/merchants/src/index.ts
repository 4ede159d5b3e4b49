import { announceDefaults, configOrExit, createLogger, installProcessGuards, listen, nonceStoreFor, onShutdown, requireDatabaseUrl } from '@greenpoints/common';
import { connect, loadDbConfig, requireLogin, subgraphConnectOptions } from '@greenpoints/db';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/merchants`.
const config = configOrExit('merchants', () => loadConfig());
const dbConfig = loadDbConfig();
const logger = createLogger(config.settings.LOG_LEVEL);
announceDefaults(logger, config.defaultedSecrets);
installProcessGuards(logger);
requireDatabaseUrl(dbConfig.DATABASE_URL, 'merchants');
// On PostgreSQL this subgraph logs in as its own role, which can use only the `merchants` schema.
const handle = await connect(subgraphConnectOptions(dbConfig, 'merchants'));
await requireLogin(handle, 'merchants');
const server = createServer({
  db: handle.db,
  logger,
  signingSecret: config.signingSecret,
  nonces: nonceStoreFor(config.settings.REDIS_URL),
});
await server.start();
const listening = await listen(server.handler, config.settings.PORT, config.settings.HOST);
logger.info({ url: listening.url, driver: handle.driver }, 'merchants subgraph ready');
// First SIGTERM: stop taking requests and let those in flight finish, then close the pool.
onShutdown(logger, [() => listening.close(), () => server.stop(), () => handle.close()]);
