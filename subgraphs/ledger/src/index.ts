import { announceDefaults, configOrExit, createLogger, listen, nonceStoreFor, requireDatabaseUrl } from '@greenpoints/common';
import { connect, loadDbConfig } from '@greenpoints/db';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/ledger`.
const config = configOrExit('ledger', () => loadConfig());
const dbConfig = loadDbConfig();
const logger = createLogger(config.settings.LOG_LEVEL);
announceDefaults(logger, config.defaultedSecrets);
const handle = await connect({ databaseUrl: requireDatabaseUrl(dbConfig.DATABASE_URL, 'ledger'), poolMax: dbConfig.DB_POOL_MAX });
const server = createServer({ db: handle.db, logger, signingSecret: config.signingSecret, nonces: nonceStoreFor(config.settings.REDIS_URL) });
await server.start();
const listening = await listen(server.handler, config.settings.PORT, config.settings.HOST);
logger.info({ url: listening.url, driver: handle.driver }, 'ledger subgraph ready');
