/** Where guards and shutdown report; pino's logger fits. */
export interface GuardLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  fatal(obj: unknown, msg?: string): void;
}

/**
 * postgres.js 3.4.9 (the latest release) can throw `TypeError: Cannot read properties of null
 * (reading 'write')` from a `setImmediate(nextWrite)` that fires after the connection closed
 * (porsager/postgres#1066, #1154; the guard of PR #1168 is unreleased). The query it belonged to has
 * already been failed with CONNECTION_CLOSED and the pool reconnects on the next query, so the
 * throw is harmless, but it escapes every try/catch and, uncaught, kills the process.
 */
export function isPostgresClosedSocketWrite(err: unknown): boolean {
  return (
    err instanceof TypeError &&
    err.message.includes("reading 'write'") &&
    /nextWrite|[\\/]postgres[\\/]/.test(err.stack ?? '')
  );
}

let installed = false;

/**
 * For service processes (never test runners): swallows only the postgres.js closed-socket write
 * above; any other uncaught exception is logged and ends the process, as Node would.
 */
export function installProcessGuards(logger: GuardLogger): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (err) => {
    if (isPostgresClosedSocketWrite(err)) {
      logger.warn({ err: err.message }, 'postgres.js wrote to a closed connection (known upstream bug); ignored, the pool reconnects');
      return;
    }
    logger.fatal({ err }, 'uncaught exception; exiting');
    process.exit(1);
  });
}

/** Longest a clean stop may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * Stops on the first SIGTERM or SIGINT: runs `steps` in order (stop taking requests, drain, close
 * pools), then exits 0; exits 1 if a step fails or the whole stop exceeds its time limit.
 */
export function onShutdown(logger: GuardLogger, steps: (() => Promise<unknown>)[], timeoutMs = SHUTDOWN_TIMEOUT_MS): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const started = Date.now();
    let current = 0;
    setTimeout(() => {
      // Which step hung (in the order the caller gave them), so a slow stop can be told apart.
      logger.error({ timeoutMs, step: current + 1, steps: steps.length }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs).unref();
    (async () => {
      for (const [i, step] of steps.entries()) {
        current = i;
        await step();
        logger.info({ step: i + 1, steps: steps.length, ms: Date.now() - started }, 'shutdown step done');
      }
    })().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
