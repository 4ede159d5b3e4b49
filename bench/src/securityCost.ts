/**
 * The cost of security: the gateway's CPU per request with every security plugin on, against the
 * same runtime with only principal + signing ("minimal"), on the README's home query, each request
 * as a different user (one user's query sent over and over would measure request merging instead).
 * Each gateway runs in its own process so its CPU is read from /proc; rounds are interleaved.
 *
 *   npm run bench:security                                   # embedded PGlite
 *   DATABASE_URL=postgres://…/gp_bench npm run bench:security   # real Postgres
 *   BENCH_DURATION_MS=8000 BENCH_CONCURRENCY=50 BENCH_ROUNDS=3 BENCH_USERS=300 npm run bench:security
 */
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLogger, DEV_JWT_SECRET, DEV_PII_KEY, DEV_SIGNING_SECRET } from '@greenpoints/common';
import { signToken } from '@greenpoints/gateway';
import { startStack } from '@greenpoints/stack';
import { sql } from 'drizzle-orm';
import { runLoad, type LoadResult } from './load.ts';

const env = process.env;
const durationMs = Number(env['BENCH_DURATION_MS'] ?? 5_000);
const concurrency = Number(env['BENCH_CONCURRENCY'] ?? 50);
const rounds = Number(env['BENCH_ROUNDS'] ?? 3);
const HOME = readFileSync(fileURLToPath(new URL('../../gateway/documents/consumer-app/Home.graphql', import.meta.url)), 'utf8');
const TICK_MS = 1000 / Number(execSync('getconf CLK_TCK').toString().trim() || 100);

/** utime + stime of a process, in ms (fields 14 and 15 of /proc/<pid>/stat). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function startGateway(mode: 'full' | 'minimal', subgraphUrls: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL('./gatewayProcess.ts', import.meta.url));
  // BENCH_GATEWAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles each gateway (node refuses --cpu-prof in NODE_OPTIONS).
  const nodeArgs = env['BENCH_GATEWAY_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, mode], {
    env: { ...env, BENCH_SUBGRAPH_URLS: JSON.stringify(subgraphUrls) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} gateway did not start in 60 s`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /READY (\S+)/.exec(chunk.toString());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.once('exit', (code) => reject(new Error(`${mode} gateway exited with ${code}`)));
  });
}

const stack = await startStack({
  db: env['DATABASE_URL'] ? { databaseUrl: env['DATABASE_URL'], poolMax: 20 } : { pgliteDataDir: 'memory://' },
  signingSecret: DEV_SIGNING_SECRET,
  piiKey: DEV_PII_KEY,
  logger: createLogger('error'),
  migrate: true,
  seedIfEmpty: true,
  seedUsers: Number(env['BENCH_USERS'] ?? 300),
  gatewayPort: 0,
  subgraphBasePort: 0,
  relay: false,
});
const rows = (await stack.db.db.execute(sql`SELECT id FROM users.users ORDER BY id`)) as unknown as { id: string }[] | { rows: { id: string }[] };
const ids = (Array.isArray(rows) ? rows : rows.rows).map((r) => r.id);
const tokens = await Promise.all(ids.map((sub) => signToken({ sub, role: 'consumer' }, DEV_JWT_SECRET)));

const gateways = { full: await startGateway('full', stack.subgraphUrls), minimal: await startGateway('minimal', stack.subgraphUrls) };

/** One home query as user i; true only when the answer is that user's, without errors. */
async function home(url: string, i: number): Promise<boolean> {
  const n = ((i % ids.length) + ids.length) % ids.length;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n]}` },
    body: JSON.stringify({ query: HOME }),
  });
  const body = (await res.json()) as { data?: { me?: { id?: string } }; errors?: unknown[] };
  return res.ok && !body.errors && body.data?.me?.id === ids[n];
}

const results: (LoadResult & { mode: string; round: number; gatewayCpuMsPerRequest: number })[] = [];
for (const [mode, g] of Object.entries(gateways)) await runLoad(`warm ${mode}`, (i) => home(g.url, i), { concurrency, durationMs: 1_500 });
for (let round = 1; round <= rounds; round++) {
  const order = round % 2 ? (['full', 'minimal'] as const) : (['minimal', 'full'] as const);
  for (const mode of order) {
    const g = gateways[mode];
    const before = cpuMs(g.child.pid!);
    const r = await runLoad(`${mode} #${round}`, (i) => home(g.url, i), { concurrency, durationMs, warmupRequests: 0 });
    results.push({ ...r, mode, round, gatewayCpuMsPerRequest: Math.round(((cpuMs(g.child.pid!) - before) / Math.max(1, r.requests)) * 1000) / 1000 });
  }
}
for (const g of Object.values(gateways)) g.child.kill('SIGTERM');
await stack.stop();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const summary = (mode: string) => {
  const rs = results.filter((r) => r.mode === mode);
  return { mode, rps: median(rs.map((r) => r.rps)), p50Ms: median(rs.map((r) => r.p50Ms)), p99Ms: median(rs.map((r) => r.p99Ms)), errors: rs.reduce((s, r) => s + r.errors, 0), gatewayCpuMsPerRequest: median(rs.map((r) => r.gatewayCpuMsPerRequest)) };
};
const full = summary('full');
const minimal = summary('minimal');
const driver = env['DATABASE_URL'] ? 'postgres' : 'pglite';
console.log(`\nCost of security — home query, ${ids.length} users, a different user per request, ${driver}, concurrency ${concurrency}, ${rounds} × ${durationMs} ms interleaved, node ${process.version}\n`);
console.table(results.map(({ name, rps, p50Ms, p99Ms, errors, gatewayCpuMsPerRequest }) => ({ name, rps, p50Ms, p99Ms, errors, gatewayCpuMsPerRequest })));
console.table([full, minimal]);
console.log(`gateway CPU per request, security on / off (baseline: the same runtime with principal + signing only): ${(full.gatewayCpuMsPerRequest / minimal.gatewayCpuMsPerRequest).toFixed(2)}×`);
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
const file = new URL(`../results/${new Date().toISOString().replace(/[:.]/g, '-')}-security-${driver}.json`, import.meta.url);
writeFileSync(file, JSON.stringify({ driver, concurrency, durationMs, rounds, users: ids.length, node: process.version, full, minimal, results }, null, 2));
console.log(`written to bench/${file.pathname.split('/bench/')[1]}`);
process.exit(0);
