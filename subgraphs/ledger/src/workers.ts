import { servicePrincipal, type Logger } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import type { MerchantsService } from './merchantsClient.ts';
import { expirePoints } from './operations/expirePoints.ts';
import { sealOperations } from './operations/operationLog.ts';
import { recoverRedemptions } from './operations/redeemReward.ts';
import type { LedgerPolicy } from './policy.ts';

export interface LedgerWorkerOptions {
  db: Database;
  merchants: MerchantsService | undefined;
  policy?: LedgerPolicy;
  logger: Logger;
  /** How often the operation log is sealed into its hash chain. */
  sealEveryMs?: number;
  /** How often held redemptions are recovered and lapsed points expired. */
  recoverEveryMs?: number;
  expireEveryMs?: number;
  /** How long a stop waits for runs in progress (default 5 s). */
  stopGraceMs?: number;
}

/** How long a stop waits for jobs in progress before leaving them to the pool's close. */
const STOP_GRACE_MS = 5_000;

/**
 * The ledger's background work, in its own process: seal the operation log, finish held
 * redemptions, expire lapsed lots (hourly, keyed by the hour so replicas do it once).
 *
 * Each job runs on its own: a tick that finds its previous run still going is skipped, so a job
 * stuck on a query (postgres.js can leave a query unanswered when its connection is cut at the
 * wrong moment) holds up neither the other jobs nor a pile of its own runs. A stop waits for runs
 * in progress up to `stopGraceMs`, then names the ones left and returns: every job is a
 * transaction or keyed by an operation key, so one cut short by the pool's close is redone by the
 * next process.
 */
export function startLedgerWorkers(o: LedgerWorkerOptions): { stop(): Promise<void> } {
  const timers: NodeJS.Timeout[] = [];
  const inFlight = new Map<string, Promise<void>>();
  const every = (ms: number, name: string, job: () => Promise<unknown>) => {
    timers.push(
      setInterval(() => {
        if (inFlight.has(name)) return;
        const run = job()
          .then(
            () => undefined,
            (error: unknown) => o.logger.warn({ err: error, job: name }, 'ledger background job failed; it runs again'),
          )
          .finally(() => inFlight.delete(name));
        inFlight.set(name, run);
      }, ms).unref(),
    );
  };
  every(o.sealEveryMs ?? 1_000, 'seal', async () => {
    while ((await sealOperations(o.db)) > 0);
  });
  every(o.recoverEveryMs ?? 10_000, 'recover', () => recoverRedemptions({ db: o.db, merchants: o.merchants, ...(o.policy ? { policy: o.policy } : {}) }));
  every(o.expireEveryMs ?? 3_600_000, 'expire', async () => {
    const now = new Date();
    const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
    for (let batch = 0; batch < 100; batch++) {
      const r = await expirePoints(o.db, servicePrincipal('ledger'), hour, `scheduled:${hour.toISOString()}:${batch}`, now);
      if (r.accounts === 0) break;
    }
  });
  return {
    stop: async () => {
      for (const t of timers) clearInterval(t);
      let grace: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.all(inFlight.values()).then(() => true),
        new Promise<false>((resolve) => (grace = setTimeout(resolve, o.stopGraceMs ?? STOP_GRACE_MS, false))),
      ]);
      clearTimeout(grace);
      if (!finished) o.logger.warn({ jobs: [...inFlight.keys()] }, 'ledger background jobs still running at stop; left to the pool\'s close');
    },
  };
}
