// `npm run relay`: delivers outbox events to their consumers when the services run as separate processes.
import { createLogger } from '@greenpoints/common';
import { connect, requireLogin, subgraphConnectOptions } from '@greenpoints/db';
import { loadConfig } from '../config.ts';
import { startRelay } from '../relay.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
// The ledger's role reads and marks its outbox; green-impact's role writes what its consumers derive.
const source = await connect(subgraphConnectOptions(config.dbConfig, 'ledger'));
// The embedded database allows one open instance per folder, so on PGlite both share it.
const consumer = config.dbConfig.DATABASE_URL ? await connect(subgraphConnectOptions(config.dbConfig, 'green')) : source;
await Promise.all([requireLogin(source, 'relay (ledger role)'), requireLogin(consumer, 'relay (green role)')]);
const relay = startRelay({ source: source.db, consumer: consumer.db }, logger);
logger.info({ driver: source.driver }, 'outbox relay running');
const stop = () =>
  void relay
    .stop()
    .then(() => Promise.all([source.close(), consumer === source ? undefined : consumer.close()]))
    .then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
