import type { Logger } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { ledgerOutbox } from '@greenpoints/db/schema/ledger';
import { onPurchaseRecorded, type PurchaseRecorded } from '@greenpoints/green-impact/consumers/onPurchaseRecorded';
import { asc, eq, isNull } from 'drizzle-orm';

type Handler = (db: Database, eventId: string, payload: unknown) => Promise<void>;

/**
 * The relay reads and marks the ledger's outbox with the ledger's connection and hands events to
 * green-impact's consumers on green-impact's connection: on PostgreSQL each runs as its own role.
 */
export interface RelayDbs {
  source: Database;
  consumer: Database;
}

/** Which consumer handles which ledger event. Consumers are idempotent, so redelivery is safe. */
const HANDLERS: Record<string, Handler[]> = {
  PurchaseRecorded: [(db, id, payload) => onPurchaseRecorded(db, id, payload as PurchaseRecorded)],
};

/**
 * Delivers the ledger's outbox to its consumers, in order, at least once: an event is marked
 * published only after every handler succeeded. One relay per deployment; more are safe (handlers
 * dedupe by event id) but waste work. Replaces a real log (NATS JetStream) until one is needed.
 */
export async function relayOnce(dbs: RelayDbs, logger: Logger, batch = 100): Promise<number> {
  const events = await dbs.source.select().from(ledgerOutbox).where(isNull(ledgerOutbox.publishedAt)).orderBy(asc(ledgerOutbox.position)).limit(batch);
  for (const event of events) {
    try {
      for (const handle of HANDLERS[event.type] ?? []) await handle(dbs.consumer, event.eventId, event.payload);
    } catch (err) {
      logger.error({ err, eventId: event.eventId, type: event.type }, 'event delivery failed; will retry');
      return 0;
    }
    await dbs.source.update(ledgerOutbox).set({ publishedAt: new Date() }).where(eq(ledgerOutbox.position, event.position));
  }
  return events.length;
}

export function startRelay(dbs: RelayDbs, logger: Logger, intervalMs = 250): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? 0 : relayOnce(dbs, logger))).catch((err: unknown) => logger.error({ err }, 'relay failed'));
  }, intervalMs);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
