import { fileURLToPath } from 'node:url';
import { createLogger, listen, type Listening, type Logger } from '@greenpoints/common';
import { connect, migrate, type ConnectOptions, type DbHandle } from '@greenpoints/db';
import { createGateway, listenGateway } from '@greenpoints/gateway';
import * as greenImpact from '@greenpoints/green-impact/server';
import * as ledger from '@greenpoints/ledger/server';
import * as merchants from '@greenpoints/merchants/server';
import * as users from '@greenpoints/users/server';
import { DEFAULT_DELIVERY, startConsumer, type DeliveryOptions, type RunningWorker } from '@greenpoints/events';
import { startRelay } from '@greenpoints/events/relay/index';
import { greenImpactConsumer } from '@greenpoints/green-impact/consumers/index';
import { ledgerConsumer } from '@greenpoints/ledger/consumers/index';
import { backfillEvents, needsBackfill } from './seed/backfill.ts';
import { isEmpty, seed } from './seed/index.ts';

export interface StackOptions {
  /** An open database, or how to open one (postgres URL, or PGlite data folder / memory://). */
  db: DbHandle | ConnectOptions;
  jwtSecret: string;
  signingSecret: string;
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
}

export interface RunningStack {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  db: DbHandle;
  seeded: { users: number; purchases: number } | null;
  /** The relay and the consumers, when this process runs them (`relay` option). */
  workers: { relay: RunningWorker; ledger: RunningWorker; greenImpact: RunningWorker } | null;
  stop(): Promise<void>;
}

const SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

/** The whole graph in one process: four subgraphs on loopback and the gateway in front of them. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const logger = options.logger ?? createLogger('info');
  const handle = 'driver' in options.db ? options.db : await connect(options.db);
  const ownsDb = !('driver' in options.db);
  const delivery = options.delivery ?? DEFAULT_DELIVERY;
  if (options.migrate) await migrate(handle);
  let seeded: RunningStack['seeded'] = null;
  if (options.seedIfEmpty && (await isEmpty(handle.db))) {
    seeded = await seed(handle.db, { piiKey: options.piiKey, delivery, ...(options.seedUsers ? { users: options.seedUsers } : {}) });
  }
  // A database from before events existed gets its events once, so the ledger's read models fill.
  if (options.migrate && !seeded && (await needsBackfill(handle.db))) {
    logger.info({ events: await backfillEvents(handle.db, delivery) }, 'published the events of an older database');
  }

  const deps = { db: handle.db, logger, signingSecret: options.signingSecret };
  const servers = [
    users.createServer({ ...deps, piiKey: options.piiKey }),
    merchants.createServer(deps),
    ledger.createServer(deps),
    greenImpact.createServer(deps),
  ];
  const names = [users.name, merchants.name, ledger.name, greenImpact.name];
  const base = options.subgraphBasePort ?? 4001;
  const listening: Listening[] = [];
  for (const [i, server] of servers.entries()) {
    await server.start();
    listening.push(await listen(server.handler, base === 0 ? 0 : base + i));
  }
  const subgraphUrls = Object.fromEntries(names.map((n, i) => [n, listening[i]!.url]));
  const gateway = createGateway({
    supergraph: options.supergraph ?? SUPERGRAPH,
    subgraphUrls,
    jwtSecret: options.jwtSecret,
    signingSecret: options.signingSecret,
    logger,
  });
  const gatewayListening = await listenGateway(gateway, options.gatewayPort ?? 4000, options.gatewayHost ?? '127.0.0.1');
  const workers =
    options.relay === false
      ? null
      : {
          relay: await startRelay(handle.db, delivery, logger),
          ledger: await startConsumer(handle.db, ledgerConsumer, delivery, logger),
          greenImpact: await startConsumer(handle.db, greenImpactConsumer, delivery, logger),
        };

  return {
    gatewayUrl: gatewayListening.url,
    subgraphUrls,
    db: handle,
    seeded,
    workers,
    stop: async () => {
      await gatewayListening.close();
      if (workers) await Promise.all([workers.relay.stop(), workers.ledger.stop(), workers.greenImpact.stop()]);
      await Promise.all(listening.map((l) => l.close()));
      await Promise.all(servers.map((s) => s.stop()));
      if (ownsDb) await handle.close();
    },
  };
}
