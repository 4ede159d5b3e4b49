import type { EventsStatus, InboxStatus, OutboxStatus, SubgraphRoute } from '@greenpoints/common';
import { queryRows, type Database } from '@greenpoints/db';
import type { EventTables } from '@greenpoints/db/schema/outbox';
import { sql } from 'drizzle-orm';
import type { StreamName } from './contracts/index.ts';
import type { ConsumerName } from './subscriptions.ts';

const seconds = (value: unknown) => Math.max(0, Math.round(Number(value ?? 0) * 10) / 10);

/**
 * Events waiting in this subgraph's outbox. Only unpublished rows are read (a partial index covers
 * them), so a scrape costs the same however long the retained history is.
 */
export async function outboxStatus(db: Database, stream: StreamName, tables: EventTables): Promise<OutboxStatus> {
  const [row] = await queryRows<{ n: number; age: string | null }>(
    db,
    sql`SELECT count(*)::int AS n, extract(epoch FROM now() - min(occurred_at)) AS age FROM ${tables.outbox} WHERE published_at IS NULL`,
  );
  return { stream, unpublished: Number(row?.n ?? 0), lagSeconds: seconds(row?.age) };
}

/** Events delivered to this subgraph's consumer and not applied yet, and those given up on. */
export async function inboxStatus(db: Database, consumer: ConsumerName, tables: EventTables): Promise<InboxStatus> {
  const [row] = await queryRows<{ pending: number; retrying: number; age: string | null }>(
    db,
    sql`SELECT count(*)::int AS pending, count(*) FILTER (WHERE attempts > 0)::int AS retrying,
      extract(epoch FROM now() - min(occurred_at)) AS age
      FROM ${tables.inbox} WHERE status = 'PENDING'`,
  );
  const [dead] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${tables.deadLetters}`);
  return { consumer, pending: Number(row?.pending ?? 0), retrying: Number(row?.retrying ?? 0), deadLetters: Number(dead?.n ?? 0), lagSeconds: seconds(row?.age) };
}

/**
 * GET /events/status of a subgraph (signed by the gateway like every route): its outbox and, if it
 * consumes, its inbox, read from its own schema. The gateway turns it into gauges at /metrics.
 */
export function eventsStatusRoute(db: Database, own: { stream: StreamName; tables: EventTables; consumer?: ConsumerName }): SubgraphRoute {
  return async (_url, res) => {
    const status: EventsStatus = {
      outbox: await outboxStatus(db, own.stream, own.tables),
      inbox: own.consumer ? await inboxStatus(db, own.consumer, own.tables) : null,
    };
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(status));
  };
}
