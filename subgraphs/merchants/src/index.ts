import { createLogger, listen, requireDatabaseUrl } from '@greenpoints/common';
import { connect, loadDbConfig, requireLogin, subgraphConnectOptions } from '@greenpoints/db';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/merchants`.
const config = loadConfig();
const dbConfig = loadDbConfig();
const logger = createLogger(config.LOG_LEVEL);
requireDatabaseUrl(dbConfig.DATABASE_URL, 'merchants');
// On PostgreSQL this subgraph logs in as its own role, which can use only the `merchants` schema.
const handle = await connect(subgraphConnectOptions(dbConfig, 'merchants'));
await requireLogin(handle, 'merchants');
const server = createServer({ db: handle.db, logger, signingSecret: config.SUBGRAPH_SIGNING_SECRET });
await server.start();
const listening = await listen(server.handler, config.PORT, config.HOST);
logger.info({ url: listening.url, driver: handle.driver }, 'merchants subgraph ready');
