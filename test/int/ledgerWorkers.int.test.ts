// Proves the ledger's background jobs run apart: a job stuck on a query leaves the other jobs running, does not pile up its own runs, and does not hold up the process's stop past its grace (it is named in the log instead).
import { recordPurchase } from '@greenpoints/ledger/operations/recordPurchase';
import { sealOperations } from '@greenpoints/ledger/operations/operationLog';
import { startLedgerWorkers } from '@greenpoints/ledger/workers';
import type { Logger } from '@greenpoints/common';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, until, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
const admin = { role: 'admin' as const, sub: 'workers-test', scopes: [] };

beforeAll(async () => {
  t = await freshDatabase();
  while ((await sealOperations(t.handle.db)) > 0);
});
afterAll(() => t?.drop());

/** A logger that keeps what it was given, for the assertions. */
function recordingLogger(): { logger: Logger; warnings: { obj: unknown; msg: string | undefined }[] } {
  const warnings: { obj: unknown; msg: string | undefined }[] = [];
  const noop = () => {};
  const logger = { info: noop, debug: noop, trace: noop, error: noop, fatal: noop, warn: (obj: unknown, msg?: string) => warnings.push({ obj, msg }) };
  return { logger: logger as unknown as Logger, warnings };
}

const unsealed = async () => Number((await t.sql`SELECT count(*)::int AS n FROM ledger.operations WHERE seq IS NULL AND result IS NOT NULL`)[0]!['n']);

it('keeps sealing while the recovery job is stuck, and stops within its grace, naming the stuck job', { timeout: 30_000 }, async () => {
  const [m] = await t.sql<{ merchant_id: string }[]>`
    SELECT r.merchant_id FROM ledger.earn_rules r JOIN ledger.merchant_copies m ON m.merchant_id = r.merchant_id
    WHERE m.status = 'ACTIVE' ORDER BY r.merchant_id LIMIT 1`;
  const users = (await t.sql<{ user_id: string }[]>`SELECT user_id FROM ledger.user_copies WHERE status = 'ACTIVE' ORDER BY user_id LIMIT 5`).map((r) => r.user_id);

  // Another session holds the redemptions table: the recovery job's first read waits on it.
  const locker = await t.sql.reserve();
  await locker`BEGIN`;
  await locker`LOCK TABLE ledger.redemptions IN ACCESS EXCLUSIVE MODE`;
  const { logger, warnings } = recordingLogger();
  const workers = startLedgerWorkers({ db: t.handle.db, merchants: undefined, logger, sealEveryMs: 50, recoverEveryMs: 50, expireEveryMs: 3_600_000, stopGraceMs: 500 });
  try {
    const waiting = async () =>
      Number((await t.sql`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'redemptions' AND NOT l.granted`)[0]!['n']);
    await until(async () => (await waiting()) > 0, 10_000, 'the recovery job waiting on the lock');

    for (const userId of users) await recordPurchase(t.handle.db, admin, { userId, merchantId: m!.merchant_id, amountMinor: 2_000 }, randomUUID());
    expect(await unsealed()).toBeGreaterThan(0);
    // The old single queue put every seal behind the stuck recovery: nothing was sealed until it ended.
    await until(async () => (await unsealed()) === 0, 10_000, 'the purchases sealed while recovery is stuck');
    // Ticks that found recovery still running were skipped, not queued: one read waits, not dozens.
    expect(await waiting()).toBe(1);

    // The lock is still held, so the recovery job cannot have finished: the stop returns anyway.
    await workers.stop();
    expect(await waiting()).toBe(1);
    expect(warnings.find((w) => w.msg?.includes('still running at stop'))?.obj).toEqual({ jobs: ['recover'] });
  } finally {
    await locker`ROLLBACK`;
    locker.release();
  }
});
