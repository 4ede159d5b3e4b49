// `npm run relay`: hands every outbox on (to the consumers' inboxes, or to JetStream with NATS_URL)
// when the services run as separate processes. Several copies may run at once.
import { createLogger, installProcessGuards } from '@greenpoints/common';
import { connect } from '@greenpoints/db';
import { loadEventsConfig } from '../config.ts';
import { startRelay } from '../relay/startRelay.ts';

const config = loadEventsConfig();
const logger = createLogger(config.logLevel);
installProcessGuards(logger);
const handle = await connect(config.db);
const relay = await startRelay(handle.db, config.delivery, logger);
logger.info({ driver: handle.driver, nats: Boolean(config.delivery.natsUrl) }, 'outbox relay running');
const stop = () => {
  logger.info('stopping: finishing the batch in progress');
  relay
    .stop()
    .then(() => handle.close())
    .then(() => process.exit(0), (err: unknown) => {
      logger.error({ err }, 'unclean stop');
      process.exit(1);
    });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
