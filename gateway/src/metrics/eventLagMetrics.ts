import { EVENTS_STATUS_PATH, routeBody, servicePrincipal, signRequest, type EventsStatus, type Logger } from '@greenpoints/common';
import { Gauge, type Registry } from 'prom-client';

export interface EventLagOptions {
  /** Subgraph name → origin; every subgraph serves GET /events/status, signed like any request. */
  origins: Record<string, string>;
  signingSecret: string;
  logger: Logger;
  /** Per subgraph and scrape. */
  timeoutMs?: number;
}

async function fetchStatus(name: string, origin: string, o: EventLagOptions): Promise<EventsStatus | null> {
  const target = new URL(EVENTS_STATUS_PATH, origin);
  const headers = signRequest({ principal: servicePrincipal('gateway'), subgraph: name, body: routeBody(target) }, o.signingSecret);
  try {
    const res = await fetch(target, { headers, signal: AbortSignal.timeout(o.timeoutMs ?? 2_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return (await res.json()) as EventsStatus;
  } catch (err) {
    o.logger.warn({ err, subgraph: name }, 'events status unavailable for /metrics');
    return null;
  }
}

/**
 * Event delivery gauges, read at scrape time from each subgraph's own outbox and inbox (the
 * gateway has no database; each subgraph reads only its schema). Labels are the four subgraph
 * names. A subgraph that does not answer is `greenpoints_events_status_up 0` and its series vanish
 * until it answers again, rather than repeating stale values.
 */
export function eventLagMetrics(registry: Registry, o: EventLagOptions): void {
  // A scrape asks every gauge at once; they share one round of calls while it is in flight.
  let inFlight: Promise<void> | null = null;
  const refresh = (): Promise<void> =>
    (inFlight ??= collectAll().finally(() => {
      inFlight = null;
    }));
  const gauge = (name: string, help: string, label: string) =>
    new Gauge({ name, help, labelNames: [label], registers: [registry], collect: refresh });

  const up = gauge('greenpoints_events_status_up', 'Whether the subgraph answered its events status at this scrape (1) or not (0)', 'subgraph');
  const lag = gauge(
    'greenpoints_event_lag_seconds',
    'Seconds since the oldest event delivered to this consumer and not yet applied occurred (0: caught up); how stale its read models are',
    'consumer',
  );
  const pending = gauge('greenpoints_event_pending', 'Events delivered to this consumer and not yet applied', 'consumer');
  const retrying = gauge('greenpoints_event_retrying', 'Pending events of this consumer that failed at least once and are backing off', 'consumer');
  const dead = gauge('greenpoints_event_dead_letters', 'Events this consumer gave up on (npm run events -- dead-letters)', 'consumer');
  const outboxLag = gauge(
    'greenpoints_outbox_lag_seconds',
    'Seconds since the oldest event of this stream the relay has not handed on yet occurred (0: none waiting)',
    'stream',
  );
  const unpublished = gauge('greenpoints_outbox_unpublished', 'Events of this stream the relay has not handed on yet', 'stream');

  async function collectAll(): Promise<void> {
    const names = Object.keys(o.origins).sort();
    const statuses = await Promise.all(names.map((name) => fetchStatus(name, o.origins[name]!, o)));
    for (const g of [up, lag, pending, retrying, dead, outboxLag, unpublished]) g.reset();
    for (const [i, name] of names.entries()) {
      const status = statuses[i];
      up.set({ subgraph: name }, status ? 1 : 0);
      if (!status) continue;
      outboxLag.set({ stream: name }, status.outbox.lagSeconds);
      unpublished.set({ stream: name }, status.outbox.unpublished);
      if (!status.inbox) continue;
      lag.set({ consumer: name }, status.inbox.lagSeconds);
      pending.set({ consumer: name }, status.inbox.pending);
      retrying.set({ consumer: name }, status.inbox.retrying);
      dead.set({ consumer: name }, status.inbox.deadLetters);
    }
  }
}
