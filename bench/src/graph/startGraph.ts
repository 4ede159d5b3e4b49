/**
 * Starts the four subgraphs, the outbox relay and the gateways, each in its own process from its
 * production entry point (our gateway is `npm start -w gateway` with its own configuration), on
 * free loopback ports, against the bench's database.
 */
import { freePort, startService, stopService, type Readiness, type Service } from './processes.ts';
import type { Target } from './scenarios.ts';

export const SUBGRAPHS = ['users', 'merchants', 'ledger', 'green-impact'] as const;
export type GatewayKind = Exclude<Target, 'direct'>;

export interface Graph {
  subgraphs: Record<(typeof SUBGRAPHS)[number], Service>;
  relay: Service;
  gateways: Partial<Record<GatewayKind, Service>>;
  stop(): Promise<void>;
}

const envName = (subgraph: string) => subgraph.toUpperCase().replace('-', '_');

/** The load comes from one address and a few principals: lift the per-client limits, nothing else. */
const LIFTED_LIMITS = {
  RATE_LIMIT_MAX: '1000000',
  RATE_LIMIT_ANONYMOUS_MAX: '1000000',
  PARTNER_QUOTA_PER_MINUTE: '1000000000',
  PARTNER_QUOTA_PER_DAY: '1000000000',
};

function gatewayScript(kind: GatewayKind, port: number, urls: Record<string, string>): [string, string[], Record<string, string>, Readiness] {
  if (kind === 'ours') {
    const env = Object.fromEntries(Object.entries(urls).map(([name, url]) => [`SUBGRAPH_URL_${envName(name)}`, url]));
    return ['gateway/src/index.ts', [], { ...env, ...LIFTED_LIMITS, PORT: String(port), HOST: '127.0.0.1' }, { url: `http://127.0.0.1:${port}/graphql` }];
  }
  const env = { BENCH_SUBGRAPH_URLS: JSON.stringify(urls) };
  if (kind === 'hive') return ['bench/src/gatewayProcess.ts', ['minimal'], env, 'announces'];
  return ['bench/src/graph/apolloGateway.ts', [], env, 'announces'];
}

export async function startGraph(node: string, databaseUrl: string, gateways: GatewayKind[]): Promise<Graph> {
  const ports = Object.fromEntries(await Promise.all(SUBGRAPHS.map(async (s) => [s, await freePort()] as const))) as Record<(typeof SUBGRAPHS)[number], number>;
  const urls = Object.fromEntries(SUBGRAPHS.map((s) => [s, `http://127.0.0.1:${ports[s]}/graphql`]));
  const common = { DATABASE_URL: databaseUrl, HOST: '127.0.0.1', MERCHANTS_URL: urls['merchants']!, LEDGER_URL: urls['ledger']! };
  const started: Service[] = [];
  const stop = async () => {
    await Promise.all(started.map((s) => stopService(s)));
  };
  try {
    const subgraphs = await Promise.all(
      SUBGRAPHS.map((s) => startService(s, node, `subgraphs/${s}/src/index.ts`, [], { ...common, PORT: String(ports[s]) }, { url: urls[s]! }).then((svc) => (started.push(svc), svc))),
    );
    const relay = await startService('relay', node, 'events/src/cli/relay.ts', [], { DATABASE_URL: databaseUrl }, { aliveAfterMs: 3_000 });
    started.push(relay);
    const running: Partial<Record<GatewayKind, Service>> = {};
    for (const kind of gateways) {
      const [script, args, env, url] = gatewayScript(kind, await freePort(), urls);
      const svc = await startService(`gateway:${kind}`, node, script, args, env, url);
      started.push(svc);
      running[kind] = svc;
    }
    return {
      subgraphs: Object.fromEntries(SUBGRAPHS.map((s, i) => [s, subgraphs[i]!])) as Graph['subgraphs'],
      relay,
      gateways: running,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
