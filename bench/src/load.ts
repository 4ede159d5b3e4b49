/** A small closed-loop load generator: `concurrency` workers send requests back to back for `durationMs`. */
export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  /** The first few distinct reasons requests failed (a send that returns a string says why). */
  errorSamples: string[];
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function runLoad(
  name: string,
  send: (i: number) => Promise<boolean | string>,
  options: { concurrency: number; durationMs: number; warmupRequests?: number },
): Promise<LoadResult> {
  for (let i = 0; i < (options.warmupRequests ?? 50); i++) await send(-1 - i);
  const latencies: number[] = [];
  const samples = new Set<string>();
  let errors = 0;
  let counter = 0;
  const start = performance.now();
  const deadline = start + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const ok = await send(counter++).catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
        latencies.push(performance.now() - t0);
        if (ok !== true) {
          errors++;
          if (samples.size < 5) samples.add(typeof ok === 'string' ? ok.slice(0, 200) : 'failed');
        }
      }
    }),
  );
  const elapsedS = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    name,
    requests: latencies.length,
    errors,
    errorSamples: [...samples],
    rps: Math.round((latencies.length / elapsedS) * 10) / 10,
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
  };
}
