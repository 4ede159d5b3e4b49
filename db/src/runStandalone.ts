import {
  announceDefaults,
  createLogger,
  installProcessGuards,
  listen,
  nonceStoreFor,
  onShutdown,
  requireDatabaseUrl,
  tracingOptions,
  type Logger,
  type NonceStore,
  type SubgraphServer,
  type SubgraphSettings,
  type TracingSettings,
} from '@greenpoints/common';
import { connect, type Database } from './client.ts';
import { loadDbConfig, subgraphConnectOptions } from './config.ts';
import { requireLogin, type OwnedSchema } from './roles.ts';

/** What every subgraph's own settings hold (common's subgraphConfigSchema). */
type StandaloneSettings = {
  LOG_LEVEL: string;
  PORT: number;
  HOST: string;
  REDIS_URL?: string | undefined;
} & TracingSettings;

export interface StandaloneSubgraph {
  name: string;
  /** The Postgres schema it owns, and so the role it logs in as. */
  schema: OwnedSchema;
  config: SubgraphSettings<StandaloneSettings>;
  createServer(deps: { db: Database; logger: Logger; signingSecret: string; nonces: NonceStore }): SubgraphServer;
  /** Background work of its own (event consumers), stopped after requests have drained. */
  workers?(db: Database, logger: Logger): Promise<{ stop(): Promise<unknown> }[]>;
}

/**
 * One subgraph as its own process (`npm start -w subgraphs/<name>`): announce development
 * defaults, connect to PostgreSQL as the subgraph's own role, listen, run its workers, and on the
 * first SIGTERM stop taking requests, drain, stop the workers, close the pool.
 */
export async function runStandaloneSubgraph(subgraph: StandaloneSubgraph): Promise<void> {
  const { config, name } = subgraph;
  const dbConfig = loadDbConfig();
  const logger = createLogger(config.settings.LOG_LEVEL);
  announceDefaults(logger, config.defaultedSecrets);
  installProcessGuards(logger);
  requireDatabaseUrl(dbConfig.DATABASE_URL, name);
  // Traces only when an OTLP endpoint is configured; the SDK is not even loaded otherwise.
  const traceWith = tracingOptions(config.settings, name);
  const tracing = traceWith ? (await import('@greenpoints/common/tracing')).startTracing(traceWith) : null;
  const handle = await connect(subgraphConnectOptions(dbConfig, subgraph.schema));
  await requireLogin(handle, name);
  const server = subgraph.createServer({ db: handle.db, logger, signingSecret: config.signingSecret, nonces: nonceStoreFor(config.settings.REDIS_URL) });
  await server.start();
  const listening = await listen(server.handler, config.settings.PORT, config.settings.HOST);
  logger.info({ url: listening.url, driver: handle.driver }, `${name} subgraph ready`);
  const workers = (await subgraph.workers?.(handle.db, logger)) ?? [];
  onShutdown(logger, [
    () => listening.close(),
    ...workers.map((w) => () => w.stop()),
    () => server.stop(),
    () => handle.close(),
    ...(tracing ? [() => tracing.stop()] : []),
  ]);
}
