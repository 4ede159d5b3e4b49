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
}

/**
 * The ledger's background work, in its own process: seal the operation log, finish held
 * redemptions, expire lapsed lots (hourly, keyed by the hour so replicas do it once).
 */
export function startLedgerWorkers(o: LedgerWorkerOptions): { stop(): Promise<void> } {
  const timers: NodeJS.Timeout[] = [];
  let running = Promise.resolve();
  const every = (ms: number, name: string, job: () => Promise<unknown>) => {
    timers.push(
      setInterval(() => {
        running = running.then(async () => {
          await job();
        }).catch((error: unknown) => o.logger.warn({ err: error, job: name }, 'ledger background job failed; it runs again'));
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
      await running;
    },
  };
}
