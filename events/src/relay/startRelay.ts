import type { Database } from '@greenpoints/db';
import { STREAMS } from '../contracts/index.ts';
import type { DeliveryOptions } from '../config.ts';
import type { LoopLogger } from '../loop.ts';
import { connectJetStream, ensureStreams } from '../nats/jetstream.ts';
import { natsSink } from '../nats/natsSink.ts';
import { runWorker, type RunningWorker, type Worker } from '../worker.ts';
import { prune } from '../ops/prune.ts';
import { postgresSink, relayStreamOnce } from './pgRelay.ts';

/** How often a relay prunes what is past the retention window. */
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * The outbox relay as a worker: every stream's unpublished events go to the consumers' inboxes
 * (Postgres) or to JetStream (with NATS_URL). Several copies may run; each stream is relayed by
 * one at a time.
 */
export async function openRelay(db: Database, options: DeliveryOptions): Promise<Worker & { mode: 'postgres' | 'nats' }> {
  const nats = options.natsUrl ? await connectJetStream(options.natsUrl, options.natsPrefix, 'greenpoints-relay') : null;
  if (nats) await ensureStreams(nats, options.retentionMs);
  const sink = nats ? natsSink(nats) : postgresSink;
  let prunedAt = Date.now();
  return {
    name: 'relay',
    mode: nats ? 'nats' : 'postgres',
    step: async () => {
      let moved = 0;
      for (const stream of STREAMS) moved += await relayStreamOnce(db, stream, sink, options.batchSize);
      if (moved === 0 && Date.now() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = Date.now();
        await prune(db, options.retentionMs);
      }
      return moved;
    },
    close: async () => {
      await nats?.close();
    },
  };
}

export async function startRelay(db: Database, options: DeliveryOptions, logger: LoopLogger): Promise<RunningWorker> {
  return runWorker(await openRelay(db, options), options.pollMs, logger, options.idlePollMaxMs);
}
