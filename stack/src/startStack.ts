import { fileURLToPath } from 'node:url';
import { createLogger, listen, type Listening, type Logger } from '@greenpoints/common';
import { connect, migrate, type ConnectOptions, type DbHandle, type RolePasswords } from '@greenpoints/db';
import { createGateway, defaultSecurity, listenGateway, type SecuritySettings } from '@greenpoints/gateway';
import * as greenImpact from '@greenpoints/green-impact/server';
import * as ledger from '@greenpoints/ledger/server';
import * as merchants from '@greenpoints/merchants/server';
import * as users from '@greenpoints/users/server';
import { DEFAULT_DELIVERY, startConsumer, type DeliveryOptions, type RunningWorker } from '@greenpoints/events';
import { startRelay } from '@greenpoints/events/relay/index';
import { greenImpactConsumer } from '@greenpoints/green-impact/consumers/index';
import { ledgerConsumer } from '@greenpoints/ledger/consumers/index';
import { merchantsClient } from '@greenpoints/ledger/merchantsClient';
import { startLedgerWorkers } from '@greenpoints/ledger/workers';
import { backfillEvents, needsBackfill } from './seed/backfill.ts';
import { isEmpty, seed } from './seed/index.ts';
import { openSubgraphDbs, type SubgraphDbs } from './subgraphDbs.ts';

export interface StackOptions {
  /** An open database, or how to open one (postgres URL, or PGlite data folder / memory://). */
  db: DbHandle | ConnectOptions;
  signingSecret: string;
  /** The gateway's security settings; the development defaults when absent. */
  security?: SecuritySettings;
  piiKey: string;
  logger?: Logger;
  migrate?: boolean;
  /** Seed when the database has no merchants yet. */
  seedIfEmpty?: boolean;
  seedUsers?: number;
  /** 0 picks free ports (tests); otherwise the gateway port and the first of four subgraph ports. */
  gatewayPort?: number;
  gatewayHost?: string;
  subgraphBasePort?: number;
  supergraph?: string;
  /** Run the outbox relay and the consumers (ledger, green-impact) in this process. */
  relay?: boolean;
  /** Event delivery settings; with natsUrl, through JetStream. */
  delivery?: DeliveryOptions;
  /**
   * On PostgreSQL (when `db` is a URL), run each subgraph as its own role, which can use only its
   * own schema. Default true. Migration and seeding use the stack's own connection.
   */
  subgraphRoles?: boolean;
  rolePasswords?: RolePasswords;
  /** k-anonymity for green-impact's aggregate reports (default 10). */
  reportMinGroupSize?: number;
  /** k-anonymity for the analysts' aggregates, ledger and green-impact (default 5). */
  analyticsMinGroupSize?: number;
  /** How long the analysts' figures are reused, in ms (default 30 s; 0: read per request). */
  analyticsCacheTtlMs?: number;
  /** Trace the gateway's requests (the process must have started tracing; subgraphs follow it). */
  tracing?: boolean;
  /** The users subgraph's household cap, retired PII keys and privacy notice version. */
  users?: { householdMaxMembers?: number; piiPreviousKeys?: string[]; noticeVersion?: string; noticesCovered?: string[] };
}

export interface RunningStack {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  db: DbHandle;
  /** The handle each subgraph runs on (its role's pool on PostgreSQL). */
  subgraphDbs: SubgraphDbs;
  seeded: { users: number; purchases: number } | null;
  /** The relay and the consumers, when this process runs them (`relay` option). */
  workers: { relay: RunningWorker; ledger: RunningWorker; greenImpact: RunningWorker; ledgerJobs: { stop(): Promise<void> } } | null;
  stop(): Promise<void>;
}

const SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

/** The whole graph in one process: four subgraphs on loopback and the gateway in front of them. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const logger = options.logger ?? createLogger('info');
  const handle = 'driver' in options.db ? options.db : await connect(options.db);
  const ownsDb = !('driver' in options.db);
  const delivery = options.delivery ?? DEFAULT_DELIVERY;
  const passwords = options.rolePasswords ?? {};
  if (options.migrate) await migrate(handle, { rolePasswords: passwords });
  let seeded: RunningStack['seeded'] = null;
  if (options.seedIfEmpty && (await isEmpty(handle.db))) {
    seeded = await seed(handle.db, { piiKey: options.piiKey, delivery, ...(options.seedUsers ? { users: options.seedUsers } : {}) });
  }
  // A database from before events existed gets its events once, so the ledger's read models fill.
  if (options.migrate && !seeded && (await needsBackfill(handle.db))) {
    logger.info({ events: await backfillEvents(handle.db, delivery) }, 'published the events of an older database');
  }

  const subgraphDbs = await openSubgraphDbs(handle, {
    connect: ownsDb ? (options.db as ConnectOptions) : null,
    roles: options.subgraphRoles ?? true,
    passwords,
  });
  const { dbs } = subgraphDbs;
  const deps = { logger, signingSecret: options.signingSecret };
  // The ledger reserves stock at the merchants subgraph, and the merchants subgraph asks the ledger
  // for balances, each signed as its service principal; the URLs are known once the subgraphs listen.
  const urls: Record<string, string> = {};
  const ledgerMerchants = merchantsClient({ url: () => urls['merchants'] ?? 'http://127.0.0.1:0/unset', signingSecret: options.signingSecret });
  const analytics = {
    ...(options.analyticsMinGroupSize ? { analyticsMinGroupSize: options.analyticsMinGroupSize } : {}),
    ...(options.analyticsCacheTtlMs !== undefined ? { analyticsCacheTtlMs: options.analyticsCacheTtlMs } : {}),
  };
  const servers = [
    users.createServer({
      ...deps,
      db: dbs.users.db,
      piiKey: options.piiKey,
      ...(options.users?.householdMaxMembers ? { householdMaxMembers: options.users.householdMaxMembers } : {}),
      ...(options.users?.piiPreviousKeys ? { piiPreviousKeys: options.users.piiPreviousKeys } : {}),
      ...(options.users?.noticeVersion ? { noticeVersion: options.users.noticeVersion } : {}),
      ...(options.users?.noticesCovered ? { noticesCovered: options.users.noticesCovered } : {}),
    }),
    merchants.createServer({ ...deps, db: dbs.merchants.db, ledgerUrl: () => urls['ledger'] }),
    ledger.createServer({ ...deps, db: dbs.ledger.db, merchants: ledgerMerchants, ...analytics }),
    greenImpact.createServer({
      ...deps,
      db: dbs.green.db,
      ...(options.reportMinGroupSize ? { minGroupSize: options.reportMinGroupSize } : {}),
      ...analytics,
    }),
  ];
  const names = [users.name, merchants.name, ledger.name, greenImpact.name];
  const base = options.subgraphBasePort ?? 4001;
  const listening: Listening[] = [];
  for (const [i, server] of servers.entries()) {
    await server.start();
    listening.push(await listen(server.handler, base === 0 ? 0 : base + i));
  }
  const subgraphUrls = Object.fromEntries(names.map((n, i) => [n, listening[i]!.url]));
  Object.assign(urls, subgraphUrls);
  const gateway = createGateway({
    supergraph: options.supergraph ?? SUPERGRAPH,
    subgraphUrls,
    signingSecret: options.signingSecret,
    security: options.security ?? defaultSecurity(),
    logger,
    // The runtime's OpenTelemetry plugin takes seconds to load: only when tracing is on.
    tracing: options.tracing ? (await import('@greenpoints/gateway/plugins/useTracing')).useTracing : undefined,
  });
  const gatewayListening = await listenGateway(gateway, options.gatewayPort ?? 4000, options.gatewayHost ?? '127.0.0.1');
  // The relay moves events between schemas, so it runs on the stack's own connection; each
  // consumer runs as its subgraph's role and writes only that schema.
  const workers =
    options.relay === false
      ? null
      : {
          relay: await startRelay(handle.db, delivery, logger),
          ledger: await startConsumer(dbs.ledger.db, ledgerConsumer, delivery, logger),
          ledgerJobs: startLedgerWorkers({ db: dbs.ledger.db, merchants: ledgerMerchants, logger }),
          greenImpact: await startConsumer(dbs.green.db, greenImpactConsumer, delivery, logger),
        };

  return {
    gatewayUrl: gatewayListening.url,
    subgraphUrls,
    db: handle,
    subgraphDbs: dbs,
    seeded,
    workers,
    stop: async () => {
      await gatewayListening.close();
      if (workers) await Promise.all([workers.relay.stop(), workers.ledger.stop(), workers.greenImpact.stop(), workers.ledgerJobs.stop()]);
      await Promise.all(listening.map((l) => l.close()));
      await Promise.all(servers.map((s) => s.stop()));
      await subgraphDbs.close();
      if (ownsDb) await handle.close();
    },
  };
}
