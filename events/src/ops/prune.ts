import type { Database } from '@greenpoints/db';
import { sql } from 'drizzle-orm';
import { STREAMS } from '../contracts/index.ts';
import { TABLES_OF_CONSUMER, TABLES_OF_STREAM } from '../relay/topology.ts';
import { queryRows } from '@greenpoints/db';
import { CONSUMER_NAMES } from '../subscriptions.ts';

/** Rows deleted per statement, so pruning never locks a big table for long. */
const PRUNE_BATCH = 5_000;
const MAX_BATCHES = 1_000;

async function pruneWhere(db: Database, table: unknown, where: ReturnType<typeof sql>): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const rows = await queryRows<{ n: number }>(
      db,
      sql`WITH gone AS (DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${where} LIMIT ${PRUNE_BATCH}) RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    );
    const n = Number(rows[0]?.n ?? 0);
    total += n;
    if (n < PRUNE_BATCH) break;
  }
  return total;
}

/**
 * Deletes outbox events published, and inbox rows applied, longer ago than the retention window.
 * Unpublished, pending and dead events are kept whatever their age; processed-event ids are kept
 * too, so an event redelivered after pruning is still recognised.
 */
export async function prune(db: Database, retentionMs: number): Promise<{ outbox: number; inbox: number }> {
  const cutoff = new Date(Date.now() - retentionMs).toISOString();
  let outbox = 0;
  let inbox = 0;
  for (const stream of STREAMS) {
    outbox += await pruneWhere(db, TABLES_OF_STREAM[stream].outbox, sql`published_at < ${cutoff}`);
  }
  for (const consumer of CONSUMER_NAMES) {
    inbox += await pruneWhere(db, TABLES_OF_CONSUMER[consumer].inbox, sql`status = 'DONE' AND applied_at < ${cutoff}`);
  }
  return { outbox, inbox };
}
