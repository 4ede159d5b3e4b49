/**
 * How far a subgraph's event traffic is behind, as its own GET route reports it to the gateway's
 * /metrics (each subgraph reads only its own schema: its outbox, and its inbox if it consumes).
 */
export const EVENTS_STATUS_PATH = '/events/status';

export interface OutboxStatus {
  /** The stream this subgraph publishes (its name). */
  stream: string;
  /** Events the relay has not handed on yet. */
  unpublished: number;
  /** Seconds since the oldest of them occurred; 0 when none wait. */
  lagSeconds: number;
}

export interface InboxStatus {
  consumer: string;
  /** Delivered events not applied yet (waiting or backing off after a failure). */
  pending: number;
  /** Pending events that failed at least once. */
  retrying: number;
  /** Events given up on (`npm run events -- dead-letters`). */
  deadLetters: number;
  /** Seconds since the oldest pending event occurred; 0 when the consumer is caught up. */
  lagSeconds: number;
}

export interface EventsStatus {
  outbox: OutboxStatus;
  inbox: InboxStatus | null;
}
