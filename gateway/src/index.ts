import { announceDefaults, configOrExit, createLogger, isMain } from '@greenpoints/common';
import { loadConfig } from './config.ts';
import { listenGateway } from './listen.ts';
import { createGateway } from './server.ts';

export { createGateway, defaultSecurity, EXAMPLE_QUERY, type GatewayOptions } from './server.ts';
export { loadConfig as loadGatewayConfig, type SecuritySettings } from './config.ts';
export { listenGateway, type ListeningGateway } from './listen.ts';
export { signToken, type TokenClaims } from './token.ts';

// `npm start -w gateway [-- --supergraph FILE]`: the only place that reads config and listens.
if (isMain(import.meta.url)) {
  const config = configOrExit('gateway', () => loadConfig());
  const logger = createLogger(config.logLevel);
  announceDefaults(logger, config.defaultedSecrets);
  const gateway = createGateway({
    supergraph: config.supergraphPath,
    subgraphUrls: config.subgraphUrls,
    signingSecret: config.signingSecret,
    security: config.security,
    logger,
  });
  const listening = await listenGateway(gateway, config.port, config.host);
  logger.info({ url: listening.url, supergraph: config.supergraphPath }, 'gateway ready');
  // The runtime disposes itself on SIGINT/SIGTERM but cannot close our HTTP server, and its own
  // listener stops Node exiting by default: without this the process ignores the first SIGTERM.
  const shutdown = () => {
    listening.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
