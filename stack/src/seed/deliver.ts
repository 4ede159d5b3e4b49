import type { Database } from '@greenpoints/db';
import { drain, openConsumer, type DeliveryOptions, type Worker } from '@greenpoints/events';
import { openRelay } from '@greenpoints/events/relay/index';
import { greenImpactConsumer } from '@greenpoints/green-impact/consumers/index';
import { ledgerConsumer } from '@greenpoints/ledger/consumers/index';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
/**
 * Rounds of relay-then-consumers. A consumer may answer with an event of its own (the ledger answers
 * a green activity with GreenActivityCredited), so a few rounds settle everything.
 */
const MAX_ROUNDS = 10;

/** Relays every outbox and applies every inbox until nothing moves: the seed's events, delivered. */
export async function deliverEverything(db: Database, delivery: DeliveryOptions): Promise<void> {
  const workers: Worker[] = [await openRelay(db, delivery)];
  try {
    workers.push(await openConsumer(db, ledgerConsumer, delivery, quiet));
    workers.push(await openConsumer(db, greenImpactConsumer, delivery, quiet));
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let moved = 0;
      for (const w of workers) moved += await drain(w);
      if (moved === 0) return;
    }
    throw new Error(`seed events did not settle within ${MAX_ROUNDS} rounds`);
  } finally {
    for (const w of workers) await w.close();
  }
}
