import { announceDefaults, configOrExit, createLogger, DEMO_CONSUMER_ID, installProcessGuards, isMain, onShutdown } from '@greenpoints/common';
import { loadConfig } from './config.ts';
import { startStack } from './startStack.ts';

export { startStack, type RunningStack, type StackOptions } from './startStack.ts';
export { seed, isEmpty } from './seed/index.ts';
export { INITIAL_BUDGET_POINTS } from './seed/catalog.ts';

// `npm start`: migrate, seed if empty, start the four subgraphs and the gateway.
if (isMain(import.meta.url)) {
  const started = Date.now();
  const config = configOrExit('greenpoints', () => loadConfig());
  const logger = createLogger(config.LOG_LEVEL);
  installProcessGuards(logger);
  announceDefaults(logger, config.defaultedSecrets);
  // Traces only when an OTLP endpoint is configured; the SDK is not even loaded otherwise.
  const tracing = config.tracing ? (await import('@greenpoints/common/tracing')).startTracing(config.tracing) : null;
  const stack = await startStack({
    tracing: tracing !== null,
    db: config.db,
    signingSecret: config.signingSecret,
    piiKey: config.piiKey,
    security: config.security,
    logger,
    migrate: true,
    subgraphRoles: config.subgraphRoles,
    rolePasswords: config.rolePasswords,
    reportMinGroupSize: config.REPORT_MIN_GROUP_SIZE,
    analyticsMinGroupSize: config.ANALYTICS_MIN_GROUP_SIZE,
    analyticsCacheTtlMs: config.ANALYTICS_CACHE_TTL_MS,
    users: config.users,
    seedIfEmpty: true,
    seedUsers: config.SEED_USERS,
    gatewayPort: config.GATEWAY_PORT,
    gatewayHost: config.GATEWAY_HOST,
    subgraphBasePort: config.SUBGRAPH_BASE_PORT,
    delivery: config.delivery,
  });
  // The gateway runtime's own signal handler would dispose it mid-request; the stack stops in order.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const l of process.listeners(signal)) if (l.name === 'terminateHandler') process.removeListener(signal, l);
  }
  onShutdown(logger, [() => stack.stop(), ...(tracing ? [() => tracing.stop()] : [])]);
  if (stack.seeded) logger.info(stack.seeded, 'seeded the database');
  console.log(`
Greenpoints is ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${stack.db.driver === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'})

  GraphQL + GraphiQL  ${stack.gatewayUrl}
  Health              ${stack.gatewayUrl.replace('/graphql', '/healthcheck')}

  Sign in as the demo consumer (${DEMO_CONSUMER_ID}):
    npm run token
  then, in GraphiQL's Headers tab:  {"Authorization": "Bearer <token>"}

  Example:
    curl -s ${stack.gatewayUrl} -H 'content-type: application/json' \\
      -H "authorization: Bearer $(npm run -s token | tail -1)" \\
      -d '{"query":"{ me { displayName points { balance tier } greenImpact { totals { co2eKg } } } }"}'
`);
}
