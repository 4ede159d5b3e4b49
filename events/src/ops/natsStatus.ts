import type { DeliveryOptions } from '../config.ts';
import { connectJetStream, streamName } from '../nats/jetstream.ts';
import { CONSUMER_NAMES, streamsOf } from '../subscriptions.ts';

export interface DurableStatus {
  consumer: string;
  stream: string;
  /** Messages in the stream this durable consumer has not been given yet. */
  waiting: number;
  /** Given but not acknowledged (in an ingest, or of an ingester that died). */
  unacknowledged: number;
  redelivered: number;
}

/** Per durable JetStream consumer, what it has not yet taken into its inbox. */
export async function natsStatus(delivery: DeliveryOptions & { natsUrl: string }): Promise<DurableStatus[]> {
  const nats = await connectJetStream(delivery.natsUrl, delivery.natsPrefix, 'greenpoints-events-status');
  try {
    const out: DurableStatus[] = [];
    for (const consumer of CONSUMER_NAMES) {
      for (const stream of streamsOf(consumer)) {
        try {
          const info = await nats.jsm.consumers.info(streamName(delivery.natsPrefix, stream), consumer);
          out.push({ consumer, stream: info.stream_name, waiting: info.num_pending, unacknowledged: info.num_ack_pending, redelivered: info.num_redelivered });
        } catch {
          out.push({ consumer, stream: streamName(delivery.natsPrefix, stream), waiting: -1, unacknowledged: -1, redelivered: -1 });
        }
      }
    }
    return out;
  } finally {
    await nats.close();
  }
}
