import { runLoop, type Loop, type LoopLogger } from './loop.ts';

/** A relay or consumer that can take one step on demand (the seed, tests) or run as a loop. */
export interface Worker {
  name: string;
  /** One batch; returns how much work it did (0 when idle). */
  step(): Promise<number>;
  close(): Promise<void>;
}

export interface RunningWorker extends Loop {
  /** Steps until nothing is left, at most `maxBatches` times; returns the work done. */
  drain(maxBatches?: number): Promise<number>;
}

export async function drain(worker: Worker, maxBatches = 10_000): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await worker.step();
    total += n;
    if (n === 0) return total;
  }
  throw new Error(`${worker.name} did not drain within ${maxBatches} batches`);
}

/** Runs a worker in the background until stopped; stopping finishes the batch in progress. */
export function runWorker(worker: Worker, pollMs: number, logger: LoopLogger, idleMaxMs = pollMs): RunningWorker {
  const loop = runLoop(worker.name, () => worker.step(), pollMs, logger, idleMaxMs);
  return {
    idle: loop.idle,
    drain: (maxBatches) => drain(worker, maxBatches),
    stop: async () => {
      await loop.stop();
      await worker.close();
    },
  };
}
