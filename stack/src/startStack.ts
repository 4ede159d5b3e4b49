import { fileURLToPath } from 'node:url';
import { createLogger, listen, type Listening, type Logger } from '@greenpoints/common';
import { connect, migrate, type ConnectOptions, type DbHandle } from '@greenpoints/db';
import { createGateway, defaultSecurity, listenGateway, type SecuritySettings } from '@greenpoints/gateway';
import * as greenImpact from '@greenpoints/green-impact/server';
import * as ledger from '@greenpoints/ledger/server';
import * as merchants from '@greenpoints/merchants/server';
import * as users from '@greenpoints/users/server';
import { startRelay } from './relay.ts';
import { isEmpty, seed } from './seed/index.ts';

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
  /** Deliver outbox events to consumers (green-impact) in this process. */
  relay?: boolean;
}

export interface RunningStack {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  db: DbHandle;
  seeded: { users: number; purchases: number } | null;
  stop(): Promise<void>;
}

const SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

/** The whole graph in one process: four subgraphs on loopback and the gateway in front of them. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const logger = options.logger ?? createLogger('info');
  const handle = 'driver' in options.db ? options.db : await connect(options.db);
  const ownsDb = !('driver' in options.db);
  if (options.migrate) await migrate(handle);
  let seeded: RunningStack['seeded'] = null;
  if (options.seedIfEmpty && (await isEmpty(handle.db))) {
    seeded = await seed(handle.db, { piiKey: options.piiKey, ...(options.seedUsers ? { users: options.seedUsers } : {}) });
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
    signingSecret: options.signingSecret,
    security: options.security ?? defaultSecurity(),
    logger,
  });
  const gatewayListening = await listenGateway(gateway, options.gatewayPort ?? 4000, options.gatewayHost ?? '127.0.0.1');
  const relay = options.relay === false ? null : startRelay(handle.db, logger);

  return {
    gatewayUrl: gatewayListening.url,
    subgraphUrls,
    db: handle,
    seeded,
    stop: async () => {
      await relay?.stop();
      await gatewayListening.close();
      await Promise.all(listening.map((l) => l.close()));
      await Promise.all(servers.map((s) => s.stop()));
      if (ownsDb) await handle.close();
    },
  };
}
