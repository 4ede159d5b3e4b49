import type { Database } from '@greenpoints/db';
import { drain, openConsumer, type DeliveryOptions, type Worker } from '@greenpoints/events';
import { openRelay, TABLES_OF_CONSUMER, TABLES_OF_STREAM } from '@greenpoints/events/relay/index';
import { eq, sql } from 'drizzle-orm';
import { greenImpactConsumer } from '@greenpoints/green-impact/consumers/index';
import { ledgerConsumer } from '@greenpoints/ledger/consumers/index';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
/**
 * Rounds of relay-then-consumers. A consumer may answer with an event of its own (the ledger answers
 * a green activity with GreenActivityCredited), so a few rounds settle everything.
 */
const MAX_ROUNDS = 10;

export interface DeliverOptions {
  /**
   * Copies of each consumer applying at once: they share the work as replicas do (each skips what
   * another has claimed), so a large seed keeps both the database and this process busy.
   */
  copies?: number;
  /**
   * Delete the inbox rows already applied first. A consumer claims the oldest pending rows by id,
   * and PostgreSQL finds them by walking every applied row before them (pending rows sit at the end):
   * a large seed's inbox made each claim slower than the last. The outbox keeps every event, and
   * the processed marks keep a redelivered one out, as after the relay's own pruning.
   */
  pruneApplied?: boolean;
}

/** Relays every outbox and applies every inbox until nothing moves: the seed's events, delivered. */
export async function deliverEverything(db: Database, delivery: DeliveryOptions, options: DeliverOptions = {}): Promise<void> {
  if (options.pruneApplied) {
    await db.transaction(async (tx) => {
      for (const { inbox } of Object.values(TABLES_OF_CONSUMER)) await tx.delete(inbox).where(eq(inbox.status, 'DONE'));
    });
    // What the pruning and the relay's marks left dead is cleared before the next claims. Without
    // it, on a server whose autovacuum is off or behind, every claim walked the dead entries of the
    // pending index: a 200,000-user seed stalled at 40,000 purchases in 15 minutes (each claim 3–6 s),
    // and went on at 20,000 in 30 s once the inboxes were vacuumed.
    for (const { inbox } of Object.values(TABLES_OF_CONSUMER)) await db.execute(sql`VACUUM ${inbox}`);
    for (const { outbox } of Object.values(TABLES_OF_STREAM)) await db.execute(sql`VACUUM ${outbox}`);
  }
  const copies = options.copies ?? 1;
  const relay = await openRelay(db, delivery);
  const consumers: Worker[] = [];
  try {
    for (let i = 0; i < copies; i++) {
      consumers.push(await openConsumer(db, ledgerConsumer, delivery, quiet));
      consumers.push(await openConsumer(db, greenImpactConsumer, delivery, quiet));
    }
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let moved = await drain(relay);
      for (const n of await Promise.all(consumers.map((c) => drain(c)))) moved += n;
      if (moved === 0) return;
    }
    throw new Error(`seed events did not settle within ${MAX_ROUNDS} rounds`);
  } finally {
    for (const w of [relay, ...consumers]) await w.close();
  }
}

/**
 * Runs deliveries in the background while the caller writes the next batch, at most one behind:
 * `next()` waits for the previous delivery and starts another; `settled()` waits for the last. A
 * failed delivery is rethrown by the next call of either.
 */
export function deliveryBehind(deliver: () => Promise<void>): { next(): Promise<void>; settled(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let failed: { error: unknown } | null = null;
  const settled = async () => {
    await running;
    if (failed) throw failed.error;
  };
  return {
    settled,
    next: async () => {
      await settled();
      running = deliver().catch((error: unknown) => {
        failed = { error };
      });
    },
  };
}
