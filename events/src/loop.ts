/** What a worker loop logs with; pino's logger fits. */
export interface LoopLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface Loop {
  /** Finishes the step in progress (a relay batch, a consumer batch), then stops. */
  stop(): Promise<void>;
  /** Resolves once a step has found nothing to do: handy for tests and the seed. */
  idle(): Promise<void>;
}

/** The longest pause after failures (e.g. the database is down), so recovery is noticed quickly. */
const MAX_ERROR_PAUSE_MS = 5_000;
/** Empty steps in a row at `pollMs` before the pause starts to grow: a second of quiet by default. */
export const IDLE_STEPS_BEFORE_BACKOFF = 10;

/**
 * Runs `step` again and again: at once while it finds work, after `pollMs` when it finds none, and
 * with a doubling pause (capped) while it fails, so a lost database or NATS connection is retried
 * until it comes back instead of killing the process. Once it has found nothing
 * IDLE_STEPS_BEFORE_BACKOFF times in a row, the pause doubles up to `idleMaxMs` until it finds work
 * again: an idle relay and two idle consumers polled PostgreSQL about 200 times a second.
 */
export function runLoop(name: string, step: () => Promise<number>, pollMs: number, logger: LoopLogger, idleMaxMs = pollMs): Loop {
  let stopped = false;
  let failures = 0;
  let emptySteps = 0;
  let wake: (() => void) | null = null;
  let idleWaiters: (() => void)[] = [];
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const done = (async () => {
    while (!stopped) {
      let pauseMs = pollMs;
      try {
        const worked = await step();
        if (failures > 0) logger.info({ loop: name, failures }, 'recovered');
        failures = 0;
        if (worked > 0) {
          pauseMs = 0;
          emptySteps = 0;
        } else {
          emptySteps += 1;
          const doublings = Math.min(Math.max(0, emptySteps - IDLE_STEPS_BEFORE_BACKOFF), 20);
          pauseMs = Math.max(pollMs, Math.min(idleMaxMs, pollMs * 2 ** doublings));
          for (const w of idleWaiters) w();
          idleWaiters = [];
        }
      } catch (err) {
        failures += 1;
        pauseMs = Math.min(MAX_ERROR_PAUSE_MS, pollMs * 2 ** Math.min(failures, 10));
        if (failures === 1 || failures % 20 === 0) logger.warn({ err, loop: name, failures }, 'step failed; retrying');
      }
      if (pauseMs > 0 && !stopped) await sleep(pauseMs);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await done;
      for (const w of idleWaiters) w();
    },
    idle: () => new Promise<void>((resolve) => idleWaiters.push(resolve)),
  };
}
