import type { Transaction } from '@greenpoints/db';
import type { EventTables } from '@greenpoints/db/schema/outbox';
import type { EventType, PayloadOf, StreamName } from '../contracts/index.ts';
import { SUBSCRIPTIONS, type ConsumerName } from '../subscriptions.ts';

/** An event as a consumer's handler sees it: validated payload plus where it came from. */
export interface DeliveredEvent<T extends EventType = EventType> {
  eventId: string;
  stream: StreamName;
  /** Position in the publisher's outbox; within one aggregate, a later event has a larger one. */
  position: number;
  type: T;
  version: number;
  aggregate: string;
  occurredAt: Date;
  payload: PayloadOf<T>;
}

/**
 * Applies one event inside the consumer's transaction, writing only the consumer's own schema.
 * Throwing rolls the handler's writes back and schedules a retry.
 */
export type Handler<T extends EventType> = (tx: Transaction, event: DeliveredEvent<T>) => Promise<void>;

export type Handlers = { [T in EventType]?: Handler<T> };

export interface ConsumerDefinition {
  name: ConsumerName;
  /** The consumer's own inbox, processed-events and dead-letter tables. */
  tables: EventTables;
  handlers: Handlers;
}

/** A consumer must handle every type it subscribes to; a gap would mark events applied unseen. */
export function defineConsumer(c: ConsumerDefinition): ConsumerDefinition {
  const missing = SUBSCRIPTIONS[c.name].filter((type) => !c.handlers[type]);
  if (missing.length > 0) throw new Error(`consumer ${c.name} has no handler for ${missing.join(', ')}`);
  return c;
}
