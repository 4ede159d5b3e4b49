import { announceDefaults, configOrExit, createLogger, isMain, onShutdown } from '@greenpoints/common';
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
  // Traces only when an OTLP endpoint is configured; the SDK is not even loaded otherwise.
  const tracing = config.tracing ? (await import('@greenpoints/common/tracing')).startTracing(config.tracing) : null;
  const gateway = createGateway({
    tracing: tracing ? (await import('./plugins/useTracing.ts')).useTracing : undefined,
    supergraph: config.supergraphPath,
    subgraphUrls: config.subgraphUrls,
    signingSecret: config.signingSecret,
    security: config.security,
    logger,
  });
  const listening = await listenGateway(gateway, config.port, config.host);
  logger.info({ url: listening.url, supergraph: config.supergraphPath }, 'gateway ready');
  // The runtime disposes itself on SIGTERM/SIGINT while requests are in flight and never closes the
  // HTTP server; drop that handler and stop in order instead: stop accepting, drain, dispose, exit.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const l of process.listeners(signal)) if (l.name === 'terminateHandler') process.removeListener(signal, l);
  }
  onShutdown(logger, [() => listening.close(), ...(tracing ? [() => tracing.stop()] : [])]);
}
