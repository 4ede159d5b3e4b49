/**
 * `npm run bench:growth`: the home query at two data sizes side by side. Two graphs run at once,
 * each on its own seeded database (BENCH_USERS and ten times as many), each with our gateway; every
 * client sends its requests to the two in turn, so both sizes meet the same moments of the machine
 * and the ratio of their latencies is the data's doing, not the machine's drift between two runs.
 *
 *   npm run bench:growth                                  # 20,000 and 200,000 users (seeds what is missing: long)
 *   BENCH_USERS=2000 BENCH_DURATION_MS=3000 npm run bench:growth   # 2,000 and 20,000
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { cpuMs, snapshot, spent } from './cpu.ts';
import { runLoad, runLoadSplit, type LoadResult } from './load.ts';
import { benchDatabase, type BenchDatabase } from './graph/benchDatabase.ts';
import { per, sender } from './graph/runMatrix.ts';
import { scenarios, type World } from './graph/scenarios.ts';
import { startGraph, type Graph } from './graph/startGraph.ts';

const env = process.env;
const options = {
  users: Number(env['BENCH_USERS'] ?? 20_000),
  durationMs: Number(env['BENCH_DURATION_MS'] ?? 10_000),
  warmMs: Number(env['BENCH_WARM_MS'] ?? 2_000),
  rounds: Number(env['BENCH_ROUNDS'] ?? 3),
  concurrency: Number(env['BENCH_CONCURRENCY'] ?? 50),
  adminUrl: env['BENCH_ADMIN_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};
const log = (line: string) => console.log(line);

interface Side {
  label: string;
  database: BenchDatabase;
  world: World;
  graph: Graph;
}

async function worldOf(database: BenchDatabase): Promise<World> {
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const users = (await sql<{ id: string }[]>`SELECT id FROM users.users WHERE status = 'ACTIVE' ORDER BY id`).map((r) => r.id);
    return { users, merchants: [], partnerPages: [null] };
  } finally {
    await sql.end();
  }
}

const monitor = postgres(options.adminUrl, { max: 1, onnotice: () => {} });
const backends = async (database: string) => (await monitor<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = ${database}`).map((r) => r.pid);
/** CPU of one graph's processes: its gateway, its four subgraphs, and PostgreSQL's backends on its database. */
async function cpuOf(side: Side) {
  return {
    gateway: cpuMs(side.graph.gateways.ours!.pid),
    subgraphs: Object.values(side.graph.subgraphs).reduce((s, svc) => s + cpuMs(svc.pid), 0),
    postgres: snapshot(await backends(side.database.name)),
  };
}

const sizes = [options.users, options.users * 10];
const databases = [];
for (const users of sizes) databases.push(await benchDatabase(options.adminUrl, users, false, log));
for (const d of databases) log(`${d.name}: ${d.note}`);
const sides: Side[] = [];
type Measured = LoadResult & { cpu: { gateway: number; subgraphs: number; postgres: number } };
const results: { round: number; small: Measured; large: Measured }[] = [];
try {
  for (const [i, database] of databases.entries()) {
    log(`starting a graph on ${database.name}`);
    sides.push({ label: `${sizes[i]!.toLocaleString('en')} users`, database, world: await worldOf(database), graph: await startGraph(process.execPath, database.url, ['ours']) });
  }
  const counters = sides.map(() => ({ n: 0 }));
  const plain = postgres(databases[0]!.url, { max: 1, onnotice: () => {} });
  const sends = sides.map((side, i) => sender(side.graph, scenarios(side.world, options.concurrency).find((s) => s.name === 'home')!, 'ours', counters[i]!, plain));
  for (const [i, send] of sends.entries()) await runLoad(`warm ${sides[i]!.label}`, send, { concurrency: options.concurrency, durationMs: options.warmMs, warmupRequests: 0 });
  for (let round = 1; round <= options.rounds; round++) {
    // The order turns each round: neither size always gets the first request of a cycle.
    const order = round % 2 ? [0, 1] : [1, 0];
    const before = await Promise.all(sides.map(cpuOf));
    const split = await runLoadSplit(
      order.map((i) => sides[i]!.label),
      order.map((i) => sends[i]!),
      { concurrency: options.concurrency, durationMs: options.durationMs },
    );
    const after = await Promise.all(sides.map(cpuOf));
    const bySide = order.map((i, k) => ({ i, r: split[k]! })).sort((a, b) => a.i - b.i);
    const withCpu = bySide.map(({ i, r }) => ({
      ...r,
      cpu: {
        gateway: per(after[i]!.gateway - before[i]!.gateway, r.requests),
        subgraphs: per(after[i]!.subgraphs - before[i]!.subgraphs, r.requests),
        postgres: per(spent(before[i]!.postgres, after[i]!.postgres), r.requests),
      },
    }));
    results.push({ round, small: withCpu[0]!, large: withCpu[1]! });
    log(`  round ${round}  ${withCpu.map((r, i) => `${sides[i]!.label}: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, errors ${r.errors}, PostgreSQL ${r.cpu.postgres} ms/request`).join(' | ')}`);
  }
  await plain.end();
} finally {
  await Promise.all(sides.map((s) => s.graph.stop()));
  await monitor.end();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ratio = (pick: (r: LoadResult) => number) => median(results.map((r) => pick(r.large) / pick(r.small)));
// Judged on the ratio itself, shown to three places.
const found = [
  { name: 'p50', raw: ratio((r) => r.p50Ms), target: 1.2 },
  { name: 'p99', raw: ratio((r) => r.p99Ms), target: 1.2 },
  { name: 'mean', raw: ratio((r) => r.meanMs), target: 1.2 },
].map((f) => ({ name: f.name, value: Math.round(f.raw * 1000) / 1000, met: f.raw <= f.target, target: f.target }));
log(`\nHome query, ${sides.map((s) => s.label).join(' and ')} side by side, ${options.concurrency} clients, ${options.rounds} × ${options.durationMs} ms, Node ${process.version}`);
console.table(results.flatMap((r) => [r.small, r.large].map((x, i) => ({ round: r.round, size: sides[i]!.label, requests: x.requests, errors: x.errors, mean: x.meanMs, p50: x.p50Ms, p99: x.p99Ms, 'gw ms': x.cpu.gateway, 'subgraphs ms': x.cpu.subgraphs, 'pg ms': x.cpu.postgres }))));
for (const f of found) log(`${f.met ? '✓' : '✗'} home latency ${f.name}, ${sides[1]!.label} ÷ ${sides[0]!.label} (median of rounds): ${f.value}  (target ≤ ${f.target})`);
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
const file = new URL(`../results/${new Date().toISOString().replace(/[:.]/g, '-')}-growth-${sizes.join('-')}.json`, import.meta.url);
writeFileSync(file, JSON.stringify({ options, databases, ratios: found, results }, null, 2));
log(`written to bench/${file.pathname.split('/bench/')[1]}`);
const failed = results.some((r) => r.small.errors + r.large.errors > 0);
process.exit(failed ? 1 : 0);
