/** A small closed-loop load generator: `concurrency` workers send requests back to back for `durationMs`. */
export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  /** The first few distinct reasons requests failed (a send that returns a string says why). */
  errorSamples: string[];
  rps: number;
  /** The mean latency: at one connection, requests/s is its inverse. */
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

type Send = (i: number) => Promise<boolean | string>;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function runLoad(name: string, send: Send, options: { concurrency: number; durationMs: number; warmupRequests?: number }): Promise<LoadResult> {
  for (let i = 0; i < (options.warmupRequests ?? 50); i++) await send(-1 - i);
  const [result] = await runLoadSplit([name], [send], options);
  return result!;
}

/**
 * The same load spread over several targets at once: each worker sends its requests to the targets
 * in turn (worker w's k-th request to target (w + k) mod n), so every target meets the same moments
 * of the machine and the same mix of requests. One result per target.
 */
export async function runLoadSplit(names: string[], sends: Send[], options: { concurrency: number; durationMs: number }): Promise<LoadResult[]> {
  const latencies = sends.map((): number[] => []);
  const samples = sends.map(() => new Set<string>());
  const errors = sends.map(() => 0);
  let counter = 0;
  const start = performance.now();
  const deadline = start + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      for (let k = worker; performance.now() < deadline; k++) {
        const t = k % sends.length;
        const t0 = performance.now();
        const ok = await sends[t]!(counter++).catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
        latencies[t]!.push(performance.now() - t0);
        if (ok !== true) {
          errors[t]!++;
          if (samples[t]!.size < 5) samples[t]!.add(typeof ok === 'string' ? ok.slice(0, 200) : 'failed');
        }
      }
    }),
  );
  const elapsedS = (performance.now() - start) / 1000;
  const round = (n: number) => Math.round(n * 100) / 100;
  return names.map((name, t) => {
    const sorted = latencies[t]!.sort((a, b) => a - b);
    return {
      name,
      requests: sorted.length,
      errors: errors[t]!,
      errorSamples: [...samples[t]!],
      rps: Math.round((sorted.length / elapsedS) * 10) / 10,
      meanMs: round(sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length)),
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      p99Ms: round(percentile(sorted, 99)),
    };
  });
}
