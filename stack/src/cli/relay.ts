// `npm run relay`: delivers outbox events to their consumers when the services run as separate processes.
import { createLogger } from '@greenpoints/common';
import { connect } from '@greenpoints/db';
import { loadConfig } from '../config.ts';
import { startRelay } from '../relay.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const handle = await connect(config.db);
const relay = startRelay(handle.db, logger);
logger.info({ driver: handle.driver }, 'outbox relay running');
const stop = () => void relay.stop().then(() => handle.close()).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
