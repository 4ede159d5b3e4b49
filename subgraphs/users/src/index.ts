import { announceDefaults, configOrExit, createLogger, installProcessGuards, listen, nonceStoreFor, onShutdown, requireDatabaseUrl } from '@greenpoints/common';
import { connect, loadDbConfig, requireLogin, subgraphConnectOptions } from '@greenpoints/db';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

// The only file that reads configuration and listens: `npm start -w subgraphs/users`.
const config = configOrExit('users', () => loadConfig());
const dbConfig = loadDbConfig();
const logger = createLogger(config.settings.LOG_LEVEL);
announceDefaults(logger, config.defaultedSecrets);
installProcessGuards(logger);
requireDatabaseUrl(dbConfig.DATABASE_URL, 'users');
// On PostgreSQL this subgraph logs in as its own role, which can use only the `users` schema.
const handle = await connect(subgraphConnectOptions(dbConfig, 'users'));
await requireLogin(handle, 'users');
const server = createServer({
  db: handle.db,
  logger,
  signingSecret: config.signingSecret,
  nonces: nonceStoreFor(config.settings.REDIS_URL),
  piiKey: config.secrets.PII_KEY,
  piiPreviousKeys: config.settings.PII_PREVIOUS_KEYS,
  householdMaxMembers: config.settings.HOUSEHOLD_MAX_MEMBERS,
  noticeVersion: config.settings.CONSENT_NOTICE_VERSION,
});
await server.start();
const listening = await listen(server.handler, config.settings.PORT, config.settings.HOST);
logger.info({ url: listening.url, driver: handle.driver }, 'users subgraph ready');
// First SIGTERM: stop taking requests and let those in flight finish, then close the pool.
onShutdown(logger, [() => listening.close(), () => server.stop(), () => handle.close()]);
