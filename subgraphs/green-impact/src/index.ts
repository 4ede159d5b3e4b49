import { createLogger, listen, requireDatabaseUrl } from '@greenpoints/common';
import { connect, loadDbConfig, requireLogin, subgraphConnectOptions } from '@greenpoints/db';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/green-impact`.
const config = loadConfig();
const dbConfig = loadDbConfig();
const logger = createLogger(config.LOG_LEVEL);
requireDatabaseUrl(dbConfig.DATABASE_URL, 'green-impact');
// On PostgreSQL this subgraph logs in as its own role, which can use only the `green` schema.
const handle = await connect(subgraphConnectOptions(dbConfig, 'green'));
await requireLogin(handle, 'green-impact');
const server = createServer({
  db: handle.db,
  logger,
  signingSecret: config.SUBGRAPH_SIGNING_SECRET,
  minGroupSize: config.REPORT_MIN_GROUP_SIZE,
});
await server.start();
const listening = await listen(server.handler, config.PORT, config.HOST);
logger.info({ url: listening.url, driver: handle.driver }, 'green-impact subgraph ready');
