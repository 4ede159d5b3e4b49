/**
 * Runs every scenario against every target, round after round (the targets' order turns each
 * round, so none always goes first), and reads each process's CPU around each run.
 */
import { DEV_SIGNING_SECRET, signRequest } from '@greenpoints/common';
import type postgres from 'postgres';
import { cpuMs, postgresPids, snapshot, spent } from '../cpu.ts';
import { runLoad, type LoadResult } from '../load.ts';
import { plainPurchase } from './plainPurchase.ts';
import type { Graph } from './startGraph.ts';
import type { GraphQLResponse, Scenario, Target } from './scenarios.ts';

/** CPU milliseconds per request, by process. */
export interface CpuPerRequest {
  gateway: number;
  users: number;
  merchants: number;
  ledger: number;
  greenImpact: number;
  subgraphs: number;
  relay: number;
  /** Backends connected to the bench's database. */
  postgres: number;
  /** Every postgres process on the machine (background workers too, and anyone else's backends). */
  postgresAll: number;
  /** The bench's own process: the load generator. */
  loadGenerator: number;
}

export interface Run extends LoadResult {
  scenario: string;
  target: Target;
  round: number;
  concurrency: number;
  cpuMsPerRequest: CpuPerRequest;
}

export interface MatrixOptions {
  rounds: number;
  durationMs: number;
  warmMs: number;
  /** The bench database's name: its backends are the ones counted as "postgres". */
  database: string;
  /** A connection to another database (so it is not counted), to list the bench's backends. */
  monitor: postgres.Sql;
  /** A pool on the bench's database (as large as a subgraph's) for the `sql` target. */
  plainSql: postgres.Sql;
  log(line: string): void;
}

function urlOf(graph: Graph, scenario: Scenario, target: Exclude<Target, 'sql'>): string {
  if (target === 'direct') return graph.subgraphs[scenario.subgraph as keyof Graph['subgraphs']].url;
  const gateway = graph.gateways[target];
  if (!gateway) throw new Error(`gateway ${target} is not running`);
  return gateway.url;
}

/** One request function per scenario and target; indexes run on across runs so users keep changing. */
function sender(graph: Graph, scenario: Scenario, target: Target, counter: { n: number }, plainSql: postgres.Sql) {
  if (target === 'sql') {
    return async (): Promise<true | string> => {
      const { userId, merchantId } = scenario.plain!(counter.n++);
      try {
        await plainPurchase(plainSql, userId, merchantId);
        return true;
      } catch (error) {
        return `SQL ${(error as { code?: string }).code ?? (error as Error).message}`;
      }
    };
  }
  const url = urlOf(graph, scenario, target);
  return async (): Promise<true | string> => {
    const req = await scenario.request(counter.n++);
    const headers =
      target === 'direct'
        ? signRequest({ principal: req.principal, subgraph: scenario.subgraph!, body: req.body }, DEV_SIGNING_SECRET)
        : { authorization: `Bearer ${req.token}` };
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: req.body });
    const text = await res.text();
    let json: GraphQLResponse;
    try {
      json = JSON.parse(text) as GraphQLResponse;
    } catch {
      return `HTTP ${res.status}: ${text.slice(0, 100)}`;
    }
    const checked = req.check(json);
    return checked === true && !res.ok ? `HTTP ${res.status}` : checked;
  };
}

async function benchPids(monitor: postgres.Sql, database: string): Promise<number[]> {
  return (await monitor<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = ${database}`).map((r) => r.pid);
}

const per = (ms: number, requests: number) => Math.round((ms / Math.max(1, requests)) * 1000) / 1000;

async function measure(graph: Graph, target: Target, options: MatrixOptions, run: () => Promise<LoadResult>): Promise<LoadResult & { cpuMsPerRequest: CpuPerRequest }> {
  const gatewayPid = target === 'direct' || target === 'sql' ? null : graph.gateways[target]!.pid;
  const own = Object.entries(graph.subgraphs).map(([name, s]) => [name, s.pid] as const);
  const processes = () => ({
    gateway: gatewayPid ? cpuMs(gatewayPid) : 0,
    subgraphs: Object.fromEntries(own.map(([name, pid]) => [name, cpuMs(pid)])),
    relay: cpuMs(graph.relay.pid),
    self: process.cpuUsage(),
  });
  const pgBefore = snapshot(await benchPids(options.monitor, options.database));
  const allBefore = snapshot(postgresPids());
  const before = processes();
  const result = await run();
  const after = processes();
  const allAfter = snapshot(postgresPids());
  const pgAfter = snapshot(await benchPids(options.monitor, options.database));
  const n = result.requests;
  const sub = (name: string) => (after.subgraphs[name] ?? 0) - (before.subgraphs[name] ?? 0);
  const self = (after.self.user + after.self.system - before.self.user - before.self.system) / 1000;
  return {
    ...result,
    cpuMsPerRequest: {
      gateway: per(after.gateway - before.gateway, n),
      users: per(sub('users'), n),
      merchants: per(sub('merchants'), n),
      ledger: per(sub('ledger'), n),
      greenImpact: per(sub('green-impact'), n),
      subgraphs: per(own.reduce((s, [name]) => s + sub(name), 0), n),
      relay: per(after.relay - before.relay, n),
      postgres: per(spent(pgBefore, pgAfter), n),
      postgresAll: per(spent(allBefore, allAfter), n),
      loadGenerator: per(self, n),
    },
  };
}

export async function runMatrix(graph: Graph, scenarios: Scenario[], options: MatrixOptions): Promise<Run[]> {
  const counter = { n: 0 };
  const targetsOf = (s: Scenario) => s.targets.filter((t) => t === 'direct' || t === 'sql' || graph.gateways[t]);
  // Warm every path first (JIT, pools, plan caches, keep-alive connections), outside the measurements.
  for (const scenario of scenarios) {
    for (const target of targetsOf(scenario)) {
      const warm = await runLoad('warm', sender(graph, scenario, target, counter, options.plainSql), { concurrency: scenario.concurrency!, durationMs: options.warmMs, warmupRequests: 0 });
      if (warm.errors > 0) options.log(`  warm-up ${scenario.name} → ${target}: ${warm.errors} errors, e.g. ${warm.errorSamples.join(' | ')}`);
    }
  }
  const runs: Run[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const scenario of scenarios) {
      const targets = targetsOf(scenario);
      const turned = [...targets.slice((round - 1) % targets.length), ...targets.slice(0, (round - 1) % targets.length)];
      for (const target of turned) {
        const send = sender(graph, scenario, target, counter, options.plainSql);
        const concurrency = scenario.concurrency!;
        const result = await measure(graph, target, options, () => runLoad(`${scenario.name} → ${target}`, send, { concurrency, durationMs: options.durationMs, warmupRequests: 0 }));
        runs.push({ ...result, scenario: scenario.name, target, round, concurrency });
        options.log(`  round ${round}  ${scenario.name.padEnd(16)} ${target.padEnd(7)} ${String(result.rps).padStart(7)} req/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  errors ${result.errors}`);
      }
    }
  }
  return runs;
}
