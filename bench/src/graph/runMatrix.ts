/**
 * Runs every scenario against every target, round after round (the targets' order turns each
 * round, so none always goes first), and reads each process's CPU around each run.
 */
import { DEV_SIGNING_SECRET, signRequest } from '@greenpoints/common';
import type postgres from 'postgres';
import { cpuMs, postgresPids, snapshot, spent } from '../cpu.ts';
import { runLoad, runLoadSplit, type LoadResult } from '../load.ts';
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
  /**
   * `alone`: the target had the graph to itself for the run. `together`: every target of the
   * scenario at once, each client sending its requests to them in turn; only the gateway's CPU and
   * the latencies are the target's own (the subgraphs' and PostgreSQL's are shared, per request).
   */
  mode: 'alone' | 'together';
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
  /** Run each target of a scenario by itself, one after another (Run.mode `alone`). */
  alone: boolean;
  /** Run each scenario's targets side by side, once a round (Run.mode `together`). */
  together: boolean;
  log(line: string): void;
}

function urlOf(graph: Graph, scenario: Scenario, target: Exclude<Target, 'sql'>): string {
  if (target === 'direct') return graph.subgraphs[scenario.subgraph as keyof Graph['subgraphs']].url;
  const gateway = graph.gateways[target];
  if (!gateway) throw new Error(`gateway ${target} is not running`);
  return gateway.url;
}

/** One request function per scenario and target; indexes run on across runs so users keep changing. (Also the growth bench.) */
export function sender(graph: Graph, scenario: Scenario, target: Target, counter: { n: number }, plainSql: postgres.Sql) {
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

/** CPU milliseconds per request, to three places. */
export const per = (ms: number, requests: number) => Math.round((ms / Math.max(1, requests)) * 1000) / 1000;

/** Runs the load and reads every process's CPU around it: one result per target, in order. */
async function measure(graph: Graph, targets: Target[], options: MatrixOptions, run: () => Promise<LoadResult[]>): Promise<(LoadResult & { cpuMsPerRequest: CpuPerRequest })[]> {
  const gatewayPids = targets.map((t) => (t === 'direct' || t === 'sql' ? null : graph.gateways[t]!.pid));
  const own = Object.entries(graph.subgraphs).map(([name, s]) => [name, s.pid] as const);
  const processes = () => ({
    gateways: gatewayPids.map((pid) => (pid ? cpuMs(pid) : 0)),
    subgraphs: Object.fromEntries(own.map(([name, pid]) => [name, cpuMs(pid)])),
    relay: cpuMs(graph.relay.pid),
    self: process.cpuUsage(),
  });
  const pgBefore = snapshot(await benchPids(options.monitor, options.database));
  const allBefore = snapshot(postgresPids());
  const before = processes();
  const results = await run();
  const after = processes();
  const allAfter = snapshot(postgresPids());
  const pgAfter = snapshot(await benchPids(options.monitor, options.database));
  const n = results.reduce((s, r) => s + r.requests, 0);
  const sub = (name: string) => (after.subgraphs[name] ?? 0) - (before.subgraphs[name] ?? 0);
  const self = (after.self.user + after.self.system - before.self.user - before.self.system) / 1000;
  const shared = {
    users: per(sub('users'), n),
    merchants: per(sub('merchants'), n),
    ledger: per(sub('ledger'), n),
    greenImpact: per(sub('green-impact'), n),
    subgraphs: per(own.reduce((s, [name]) => s + sub(name), 0), n),
    relay: per(after.relay - before.relay, n),
    postgres: per(spent(pgBefore, pgAfter), n),
    postgresAll: per(spent(allBefore, allAfter), n),
    loadGenerator: per(self, n),
  };
  return results.map((result, i) => ({ ...result, cpuMsPerRequest: { gateway: per(after.gateways[i]! - before.gateways[i]!, result.requests), ...shared } }));
}

/** The targets a scenario compares side by side: all but plain SQL (whose rate, not CPU, is the point). */
const togetherTargets = (targets: Target[]) => targets.filter((t) => t !== 'sql');

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
      for (const target of options.alone ? turned : []) {
        const send = sender(graph, scenario, target, counter, options.plainSql);
        const concurrency = scenario.concurrency!;
        const [result] = await measure(graph, [target], options, async () => [await runLoad(`${scenario.name} → ${target}`, send, { concurrency, durationMs: options.durationMs, warmupRequests: 0 })]);
        runs.push({ ...result!, scenario: scenario.name, target, round, concurrency, mode: 'alone' });
        options.log(`  round ${round}  ${scenario.name.padEnd(16)} ${target.padEnd(7)} ${String(result!.rps).padStart(7)} req/s  p50 ${result!.p50Ms} ms  p99 ${result!.p99Ms} ms  errors ${result!.errors}`);
      }
      const together = togetherTargets(turned);
      if (!options.together || together.length < 2) continue;
      const sends = together.map((t) => sender(graph, scenario, t, counter, options.plainSql));
      const names = together.map((t) => `${scenario.name} → ${t} (together)`);
      const results = await measure(graph, together, options, () => runLoadSplit(names, sends, { concurrency: scenario.concurrency!, durationMs: options.durationMs }));
      results.forEach((result, i) => runs.push({ ...result, scenario: scenario.name, target: together[i]!, round, concurrency: scenario.concurrency!, mode: 'together' }));
      options.log(`  round ${round}  ${scenario.name.padEnd(16)} together: ${results.map((r, i) => `${together[i]} p50 ${r.p50Ms} ms gw ${r.cpuMsPerRequest.gateway} ms`).join(', ')}`);
    }
  }
  return runs;
}
