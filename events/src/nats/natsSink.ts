import type { Sink } from '../relay/pgRelay.ts';
import { subjectOf, type JetStream } from './jetstream.ts';

/**
 * JetStream delivery: publishes the batch in position order with the event id as message id (so
 * JetStream drops a republish inside its duplicate window) and waits for every acknowledgement
 * before the relay marks the rows published. A failed publish throws and rolls the marking back.
 */
export function natsSink({ js, prefix }: JetStream): Sink {
  return async (_tx, stream, envelopes) => {
    const acks = envelopes.map((e) =>
      js.publish(subjectOf(prefix, stream, e.type), JSON.stringify(e), { msgID: e.eventId, timeout: 5_000 }),
    );
    await Promise.all(acks);
  };
}
