/** Medians over rounds, the ratios the issue asks for, and how they compare with its targets. */
import type { CpuPerRequest, Run } from './runMatrix.ts';
import type { Target } from './scenarios.ts';

export interface Summary {
  scenario: string;
  target: Target;
  mode: Run['mode'];
  concurrency: number;
  rps: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  cpuMsPerRequest: CpuPerRequest;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : Math.round(((s[mid - 1]! + s[mid]!) / 2) * 1000) / 1000;
};

export function summarize(runs: Run[]): Summary[] {
  const keyOf = (r: Run) => `${r.mode}\u0000${r.scenario}\u0000${r.target}`;
  const keys = [...new Set(runs.map(keyOf))];
  return keys.map((key) => {
    const rs = runs.filter((r) => keyOf(r) === key);
    const first = rs[0]!;
    const cpu = Object.fromEntries(Object.keys(first.cpuMsPerRequest).map((k) => [k, median(rs.map((r) => r.cpuMsPerRequest[k as keyof CpuPerRequest]))])) as unknown as CpuPerRequest;
    return {
      scenario: first.scenario,
      target: first.target,
      mode: first.mode,
      concurrency: first.concurrency,
      rps: median(rs.map((r) => r.rps)),
      meanMs: median(rs.map((r) => r.meanMs)),
      p50Ms: median(rs.map((r) => r.p50Ms)),
      p95Ms: median(rs.map((r) => r.p95Ms)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      requests: rs.reduce((s, r) => s + r.requests, 0),
      errors: rs.reduce((s, r) => s + r.errors, 0),
      cpuMsPerRequest: cpu,
    };
  });
}

export interface Ratio {
  name: string;
  value: number | null;
  /** The target, when it sets one. */
  target?: string;
  met?: boolean;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

export function ratios(summary: Summary[]): Ratio[] {
  const at = (scenario: string, target: Target, mode: Run['mode'] = 'alone') => summary.find((s) => s.scenario === scenario && s.target === target && s.mode === mode);
  // Unrounded: a target is judged on the ratio itself (0.296 is not ≥ 0.3), and shown to three places.
  const divide = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? a / b : null);
  const home = at('home', 'ours');
  const out: Ratio[] = [];
  const push = (name: string, value: number | null, target?: string, ok?: (v: number) => boolean) =>
    out.push({ name, value: value === null ? null : Math.round(value * 1000) / 1000, ...(target ? { target } : {}), ...(ok && value !== null ? { met: ok(value) } : {}) });
  push('home, our gateway: requests/s', home?.rps ?? null, '≥ 500', (v) => v >= 500);
  push('home, our gateway: p99 ms', home?.p99Ms ?? null, '< 100', (v) => v < 100);
  push('home: gateway CPU/request, ours ÷ plain Hive', divide(home?.cpuMsPerRequest.gateway, at('home', 'hive')?.cpuMsPerRequest.gateway), '≤ 1.15', (v) => v <= 1.15);
  push('home: gateway CPU/request, ours ÷ Apollo', divide(home?.cpuMsPerRequest.gateway, at('home', 'apollo')?.cpuMsPerRequest.gateway), '≤ 0.8', (v) => v <= 0.8);
  push('home: requests/s, ours ÷ plain Hive', divide(home?.rps, at('home', 'hive')?.rps));
  push('home: requests/s, ours ÷ Apollo', divide(home?.rps, at('home', 'apollo')?.rps));
  push('catalogue at 1 connection: requests/s via our gateway ÷ direct', divide(at('catalog-c1', 'ours')?.rps, at('catalog-c1', 'direct')?.rps), '≥ 0.7', (v) => v >= 0.7);
  const c1 = [at('catalog-c1', 'ours')?.p50Ms, at('catalog-c1', 'direct')?.p50Ms];
  push('catalogue at 1 connection: p50 via our gateway − direct (ms)', c1[0] !== undefined && c1[1] !== undefined ? r2(c1[0] - c1[1]) : null);
  push('catalogue at full concurrency: requests/s via our gateway ÷ direct', divide(at('catalog', 'ours')?.rps, at('catalog', 'direct')?.rps));
  // The same comparisons with the targets side by side: every target meets the same moments of the
  // machine, so these do not move with its speed as the runs one after another do.
  const gw = (target: Target) => at('home', target, 'together')?.cpuMsPerRequest.gateway;
  push('home, side by side: gateway CPU/request, ours ÷ plain Hive', divide(gw('ours'), gw('hive')), '≤ 1.15', (v) => v <= 1.15);
  push('home, side by side: gateway CPU/request, ours ÷ Apollo', divide(gw('ours'), gw('apollo')), '≤ 0.8', (v) => v <= 0.8);
  push(
    'catalogue at 1 connection, side by side: requests/s via our gateway ÷ direct (mean latency, direct ÷ ours)',
    divide(at('catalog-c1', 'direct', 'together')?.meanMs, at('catalog-c1', 'ours', 'together')?.meanMs),
    '≥ 0.7',
    (v) => v >= 0.7,
  );
  push('catalogue at 1 connection, side by side: plain Hive ÷ direct', divide(at('catalog-c1', 'direct', 'together')?.meanMs, at('catalog-c1', 'hive', 'together')?.meanMs));
  push('recordPurchase: requests/s via our gateway ÷ plain SQL', divide(at('record-purchase', 'ours')?.rps, at('record-purchase', 'sql')?.rps), '≥ 0.3', (v) => v >= 0.3);
  push('recordPurchase via our gateway: one merchant ÷ spread', divide(at('record-purchase-one', 'ours')?.rps, at('record-purchase', 'ours')?.rps), '≥ 0.8', (v) => v >= 0.8);
  return out;
}

/** The summary as a table: one row per scenario and target. */
export function table(summary: Summary[]) {
  return summary.map((s) => ({
    scenario: s.scenario,
    target: s.mode === 'together' ? `${s.target} (together)` : s.target,
    c: s.concurrency,
    'req/s': s.rps,
    mean: s.meanMs,
    p50: s.p50Ms,
    p95: s.p95Ms,
    p99: s.p99Ms,
    errors: s.errors,
    'gw ms': s.cpuMsPerRequest.gateway,
    'subgraphs ms': s.cpuMsPerRequest.subgraphs,
    'pg ms': s.cpuMsPerRequest.postgres,
    'pg all ms': s.cpuMsPerRequest.postgresAll,
    'client ms': s.cpuMsPerRequest.loadGenerator,
  }));
}

/**
 * Data growth: the home query through our gateway at this size against the latest run at ten times
 * fewer (or more) users on the same Node.js major, from bench/results/.
 */
export function growth(small: { users: number; summary: Summary[] }, large: { users: number; summary: Summary[] }): Ratio[] {
  const home = (s: Summary[]) => s.find((x) => x.scenario === 'home' && x.target === 'ours' && (x.mode ?? 'alone') === 'alone');
  const [a, b] = [home(small.summary), home(large.summary)];
  if (!a || !b) return [];
  // Two runs at different times: the machine's speed moves as much as the data (npm run bench:growth measures it side by side).
  const label = `${large.users.toLocaleString('en')} ÷ ${small.users.toLocaleString('en')} users, runs at different times (side by side: npm run bench:growth)`;
  return [
    { name: `home via our gateway, p50 at ${label}`, value: r2(b.p50Ms / a.p50Ms), target: '≤ 1.2', met: b.p50Ms / a.p50Ms <= 1.2 },
    { name: `home via our gateway, p99 at ${label}`, value: r2(b.p99Ms / a.p99Ms), target: '≤ 1.2', met: b.p99Ms / a.p99Ms <= 1.2 },
    { name: `home via our gateway, requests/s at ${label}`, value: r2(b.rps / a.rps) },
  ];
}
