import type { Database } from '@greenpoints/db';
import { count, isNull, sql } from 'drizzle-orm';
import { STREAMS, type StreamName } from '../contracts/index.ts';
import { TABLES_OF_CONSUMER, TABLES_OF_STREAM } from '../relay/topology.ts';
import { queryRows } from '@greenpoints/db';
import { CONSUMER_NAMES, type ConsumerName } from '../subscriptions.ts';

export interface StreamStatus {
  stream: StreamName;
  /** Events in the outbox not yet handed on by the relay. */
  unpublished: number;
  lastPosition: number;
}

export interface ConsumerStatus {
  consumer: ConsumerName;
  pending: number;
  /** Pending events that failed at least once and are backing off. */
  retrying: number;
  dead: number;
  applied: number;
  /** Seconds the oldest pending event has waited since it was published: the consumer's lag. */
  lagSeconds: number;
  /** Per stream, the highest position applied. */
  appliedUpTo: Record<string, number>;
}

export async function streamStatus(db: Database): Promise<StreamStatus[]> {
  const out: StreamStatus[] = [];
  for (const stream of STREAMS) {
    const { outbox } = TABLES_OF_STREAM[stream];
    const [u] = await db.select({ n: count() }).from(outbox).where(isNull(outbox.publishedAt));
    const [m] = await db.select({ p: sql<number>`coalesce(max(${outbox.position}), 0)`.mapWith(Number) }).from(outbox);
    out.push({ stream, unpublished: u?.n ?? 0, lastPosition: m?.p ?? 0 });
  }
  return out;
}

export async function consumerStatus(db: Database): Promise<ConsumerStatus[]> {
  const out: ConsumerStatus[] = [];
  for (const consumer of CONSUMER_NAMES) {
    const { inbox, deadLetters } = TABLES_OF_CONSUMER[consumer];
    const [row] = await queryRows<Record<string, string | number | null>>(
      db,
      sql`SELECT
        count(*) FILTER (WHERE status = 'PENDING') AS pending,
        count(*) FILTER (WHERE status = 'PENDING' AND attempts > 0) AS retrying,
        count(*) FILTER (WHERE status = 'DONE') AS applied,
        coalesce(extract(epoch FROM now() - min(occurred_at) FILTER (WHERE status = 'PENDING')), 0) AS lag
      FROM ${inbox}`,
    );
    const [dead] = await db.select({ n: count() }).from(deadLetters);
    const upTo = await db
      .select({ stream: inbox.stream, p: sql<number>`max(${inbox.position})`.mapWith(Number) })
      .from(inbox)
      .where(sql`${inbox.status} = 'DONE'`)
      .groupBy(inbox.stream);
    out.push({
      consumer,
      pending: Number(row?.['pending'] ?? 0),
      retrying: Number(row?.['retrying'] ?? 0),
      applied: Number(row?.['applied'] ?? 0),
      dead: dead?.n ?? 0,
      lagSeconds: Math.round(Number(row?.['lag'] ?? 0) * 10) / 10,
      appliedUpTo: Object.fromEntries(upTo.map((r) => [r.stream, r.p])),
    });
  }
  return out;
}

export async function listDeadLetters(db: Database, limit: number) {
  const rows = [];
  for (const consumer of CONSUMER_NAMES) {
    const { deadLetters } = TABLES_OF_CONSUMER[consumer];
    const dead = await db.select().from(deadLetters).orderBy(deadLetters.deadAt).limit(limit);
    rows.push(...dead.map((d) => ({ consumer, ...d })));
  }
  return rows.slice(0, limit);
}
