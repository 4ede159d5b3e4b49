import type { Executor } from '@greenpoints/db';
import { getTableColumns, sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';

/** Rows per statement: one JSON parameter of a few megabytes. */
const ROWS_PER_INSERT = 10_000;

/**
 * Inserts rows in the order given, inside the caller's transaction, as one JSON parameter per
 * statement that Postgres expands with `json_populate_recordset`: a bulk load at a fraction of the
 * cost of a multi-row VALUES list (no parameter limit, no per-value binding), on PostgreSQL and
 * PGlite alike. Keys are the table's (camelCase) keys; every row has the same keys.
 */
export async function insertAll<T extends PgTable>(tx: Executor, table: T, rows: T['$inferInsert'][]): Promise<void> {
  const first = rows[0] as Record<string, unknown> | undefined;
  if (!first) return;
  const config = getTableConfig(table);
  const byKey = getTableColumns(table) as Record<string, { name: string }>;
  const keys = Object.keys(first);
  const names = keys.map((k) => {
    const column = byKey[k];
    if (!column) throw new Error(`${config.name} has no column ${k}`);
    return column.name;
  });
  const target = sql.raw(`"${config.schema ?? 'public'}"."${config.name}"`);
  const list = sql.raw(names.map((n) => `"${n}"`).join(', '));
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = (rows.slice(i, i + ROWS_PER_INSERT) as Record<string, unknown>[]).map((r) => Object.fromEntries(keys.map((k, j) => [names[j], r[k]])));
    await tx.execute(sql`INSERT INTO ${target} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${target}, ${JSON.stringify(chunk)}::json)`);
  }
}
