import { DAY_MS } from '@greenpoints/common';
import { analyzeSchemas, type Database } from '@greenpoints/db';
import * as merchantsDb from '@greenpoints/db/schema/merchants';
import { DEFAULT_DELIVERY, type DeliveryOptions } from '@greenpoints/events';
import { count } from 'drizzle-orm';
import { MERCHANTS } from './catalog.ts';
import { deliverEverything, deliveryBehind } from './deliver.ts';
import { generateHistory } from './history.ts';
import { generatePeople } from './people.ts';
import { Random } from './random.ts';
import { writeGreenCatalog, writeMerchants } from './writeCatalog.ts';
import { writeFinalBalances, writeLedgerBatch } from './writeLedger.ts';
import { peopleBatches, writePeopleBatch } from './writePeople.ts';

export interface SeedOptions {
  /** How many consumers; the first is the demo consumer. */
  users?: number;
  /** The moment the history ends; purchases fall in the year before it. */
  now?: Date;
  piiKey: string;
  seed?: number;
  /** How the seed's events are delivered (Postgres, or JetStream with natsUrl). */
  delivery?: DeliveryOptions;
  /**
   * Transaction sizes: users (whole households) and purchases per transaction. They change only
   * where transactions end, never what is written. One transaction for a large seed runs out of
   * lock slots and memory near 20,000 users.
   */
  usersPerBatch?: number;
  purchasesPerBatch?: number;
  /** Called after each batch (large seeds report progress with it); a throw stops the seed there. */
  onProgress?: (step: { phase: 'people' | 'ledger' | 'catalog' | 'analyze'; done: number; total?: number }) => void;
}

export const DEFAULT_USERS_PER_BATCH = 5_000;
export const DEFAULT_PURCHASES_PER_BATCH = 10_000;
/** The seed delivers in larger batches than a live relay (a bulk load; still within the config's limit). */
const SEED_DELIVERY_BATCH = 1_000;
/** Copies of each consumer applying the seed's events at once. */
const SEED_CONSUMER_COPIES = 2;

/**
 * Writes the seed as the services would have (rows built by their own rules, every change with its
 * event, merchants through their publishing operations), then delivers the events, so the ledger's
 * read models and green-impact's records are built by the consumers exactly as on a live database.
 * Deterministic for a seed and `now`, whatever the batch sizes.
 *
 * In batches, each its own transaction, its events delivered before the next (the inboxes stay
 * short): the green catalogue, people, the ledger's history, then merchants. A seed interrupted
 * before the merchants is resumed by the next call (each batch that committed is skipped), which is
 * what `seedIfEmpty` does. Ends with ANALYZE: a freshly loaded database has no statistics, and the
 * planner's guesses made the home query twice as slow until autovacuum happened to catch up.
 */
export async function seed(db: Database, options: SeedOptions): Promise<{ users: number; purchases: number }> {
  const now = options.now ?? new Date();
  const random = new Random(options.seed ?? 20_261_122);
  const merchants = MERCHANTS.map((m) => ({ ...m, id: m.id ?? random.uuid() }));
  const { users, households } = generatePeople(random, options.users ?? 300, now, options.piiKey);
  const twoYearsAgo = new Date(now.getTime() - 730 * DAY_MS);
  const delivery = options.delivery ?? DEFAULT_DELIVERY;
  const seedDelivery = { ...delivery, batchSize: Math.max(delivery.batchSize, SEED_DELIVERY_BATCH) };
  const usersPerBatch = options.usersPerBatch ?? DEFAULT_USERS_PER_BATCH;
  // Only a large seed prunes its applied inbox rows as it goes (deliver.ts says why); a small one
  // (the default, the tests') keeps them, as a live database does for the retention window.
  const pruneApplied = users.length > usersPerBatch;
  const deliver = () => deliverEverything(db, seedDelivery, { copies: SEED_CONSUMER_COPIES, pruneApplied });
  // Each batch's events are delivered while the next batch is written.
  const background = deliveryBehind(deliver);
  const progress = options.onProgress ?? (() => {});

  try {
    await writeGreenCatalog(db, twoYearsAgo);
    const byId = new Map(households.map((h) => [h.id, h]));
    let written = 0;
    for (const batch of peopleBatches(users, usersPerBatch)) {
      if (await writePeopleBatch(db, batch, byId)) await background.next();
      progress({ phase: 'people', done: (written += batch.length), total: users.length });
    }
    const history = generateHistory(random, users, merchants, now, options.purchasesPerBatch ?? DEFAULT_PURCHASES_PER_BATCH);
    let purchases = 0;
    for (let n = 1, step = history.next(); ; n++, step = history.next()) {
      if (step.done) {
        await writeFinalBalances(db, step.value);
        break;
      }
      if (await writeLedgerBatch(db, n, step.value, now)) await background.next();
      progress({ phase: 'ledger', done: (purchases += step.value.purchases.length) });
    }
    await writeMerchants(db, random, merchants, now, twoYearsAgo);
    await background.settled();
    await deliver();
    progress({ phase: 'catalog', done: merchants.length });
    await analyzeSchemas(db);
    progress({ phase: 'analyze', done: 1 });
    return { users: users.length, purchases };
  } catch (error) {
    // Nothing of this seed may still run when its caller sees the failure (and perhaps closes the pool).
    await background.settled().catch(() => {});
    throw error;
  }
}

export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(merchantsDb.merchants);
  return (row?.n ?? 0) === 0;
}
