import type { Database } from '@greenpoints/db';
import type { DeliveryOptions } from '../config.ts';
import type { LoopLogger } from '../loop.ts';
import { ingestOnce } from '../nats/ingest.ts';
import { connectJetStream, ensureConsumer, ensureStreams, type JetStream } from '../nats/jetstream.ts';
import { streamsOf } from '../subscriptions.ts';
import { runWorker, type RunningWorker, type Worker } from '../worker.ts';
import { applyBatch } from './applyBatch.ts';
import type { ConsumerDefinition } from './types.ts';

/**
 * A consumer as a worker: with NATS, each step first pulls the consumer's durable JetStream
 * consumers into its inbox; always, it applies a batch of its inbox in order per aggregate.
 */
export async function openConsumer(db: Database, consumer: ConsumerDefinition, options: DeliveryOptions, logger: LoopLogger): Promise<Worker> {
  let nats: JetStream | null = null;
  if (options.natsUrl) {
    nats = await connectJetStream(options.natsUrl, options.natsPrefix, `greenpoints-${consumer.name}`);
    await ensureStreams(nats, options.retentionMs);
    for (const stream of streamsOf(consumer.name)) await ensureConsumer(nats, consumer.name, stream, options.batchSize);
  }
  return {
    name: `consumer:${consumer.name}`,
    step: async () => {
      let worked = 0;
      if (nats) {
        for (const stream of streamsOf(consumer.name)) {
          worked += await ingestOnce(db, nats, consumer.name, stream, consumer.tables.inbox, options.batchSize, logger);
        }
      }
      return worked + (await applyBatch(db, consumer, options));
    },
    close: async () => {
      await nats?.close();
    },
  };
}

/** Runs a consumer in its own subgraph's process, in the background. Safe to run as several copies. */
export async function startConsumer(
  db: Database,
  consumer: ConsumerDefinition,
  options: DeliveryOptions,
  logger: LoopLogger,
): Promise<RunningWorker> {
  return runWorker(await openConsumer(db, consumer, options, logger), options.pollMs, logger, options.idlePollMaxMs);
}
