import { createLogger, installProcessGuards, listen, onShutdown, requireDatabaseUrl } from '@greenpoints/common';
import { connect, loadDbConfig } from '@greenpoints/db';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/merchants`.
const config = loadConfig();
const dbConfig = loadDbConfig();
const logger = createLogger(config.LOG_LEVEL);
installProcessGuards(logger);
const handle = await connect({ databaseUrl: requireDatabaseUrl(dbConfig.DATABASE_URL, 'merchants'), poolMax: dbConfig.DB_POOL_MAX });
const server = createServer({ db: handle.db, logger, signingSecret: config.SUBGRAPH_SIGNING_SECRET });
await server.start();
const listening = await listen(server.handler, config.PORT, config.HOST);
logger.info({ url: listening.url, driver: handle.driver }, 'merchants subgraph ready');
// First SIGTERM: stop taking requests and let those in flight finish, then close the pool.
onShutdown(logger, [() => listening.close(), () => server.stop(), () => handle.close()]);
