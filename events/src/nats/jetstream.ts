import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { STREAMS, typesOfStream, type StreamName } from '../contracts/index.ts';
import { subscribedTypes, type ConsumerName } from '../subscriptions.ts';

const nanos = (ms: number) => ms * 1_000_000;

/** One JetStream stream per publishing subgraph, e.g. `GP_GREEN_IMPACT` with subjects `gp.green-impact.>`. */
export const streamName = (prefix: string, stream: StreamName) => `${prefix.toUpperCase()}_${stream.toUpperCase().replace(/-/g, '_')}`;
export const subjectOf = (prefix: string, stream: StreamName, type: string) => `${prefix.toLowerCase()}.${stream}.${type}`;

/**
 * How long JetStream drops a republished event id (the relay may republish after a crash between
 * publishing and marking the outbox row published); consumers dedupe by event id beyond it.
 */
const DUPLICATE_WINDOW_MS = 120_000;
/** A message fetched but not acknowledged (its ingester died) is redelivered after this long. */
export const ACK_WAIT_MS = 10_000;

export interface JetStream {
  prefix: string;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  close(): Promise<void>;
}

/** Connects and keeps reconnecting for ever: a NATS restart must not take a service down. */
export async function connectJetStream(url: string, prefix: string, name: string): Promise<JetStream> {
  const nc = await connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: 5_000 });
  const jsm = await jetstreamManager(nc, { timeout: 5_000 });
  return { prefix, nc, jsm, js: jetstream(nc, { timeout: 5_000 }), close: () => nc.drain() };
}

async function exists(probe: () => Promise<unknown>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (err) {
    if ((err as { name?: string }).name?.endsWith('NotFoundError') || /not found/i.test(String(err))) return false;
    throw err;
  }
}

/** Creates the streams when missing; events older than the retention window are dropped by JetStream too. */
export async function ensureStreams({ jsm, prefix }: JetStream, retentionMs: number): Promise<void> {
  for (const stream of STREAMS) {
    const name = streamName(prefix, stream);
    if (await exists(() => jsm.streams.info(name))) continue;
    await jsm.streams.add({
      name,
      subjects: [subjectOf(prefix, stream, '>')],
      storage: StorageType.File,
      max_age: nanos(retentionMs),
      duplicate_window: nanos(Math.min(DUPLICATE_WINDOW_MS, retentionMs)),
    });
  }
}

/**
 * The subjects a durable consumer takes: one filter subject when it takes one type, otherwise the
 * whole stream. Several filter subjects need NATS 2.10 and the servers here run 2.9, so a consumer
 * of some (not all) types of a stream receives the others too; the ingester skips any type the
 * consumer does not subscribe to, whatever the filter.
 */
function filterFor(prefix: string, consumer: ConsumerName, stream: StreamName): { filter_subject?: string } {
  const types = subscribedTypes(consumer, stream);
  if (types.length === 1 && types.length < typesOfStream(stream).length) return { filter_subject: subjectOf(prefix, stream, types[0]!) };
  return {};
}

/** The durable consumer of one consuming subgraph on one stream, filtered to the types it takes. */
export async function ensureConsumer({ jsm, prefix }: JetStream, consumer: ConsumerName, stream: StreamName, maxAckPending: number): Promise<void> {
  const name = streamName(prefix, stream);
  if (await exists(() => jsm.consumers.info(name, consumer))) return;
  await jsm.consumers.add(name, {
    durable_name: consumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ...filterFor(prefix, consumer, stream),
    // Bounding unacknowledged messages means a redelivery after a crash comes before anything newer.
    max_ack_pending: maxAckPending,
    ack_wait: nanos(ACK_WAIT_MS),
  });
}

/** Removes a deployment's streams (and so their consumers): for tests with their own prefix. */
export async function deleteStreams({ jsm, prefix }: JetStream): Promise<void> {
  for (const stream of STREAMS) {
    const name = streamName(prefix, stream);
    if (await exists(() => jsm.streams.info(name))) await jsm.streams.delete(name);
  }
}
