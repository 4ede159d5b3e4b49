import { sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { OWNED_SCHEMAS, quoteIdent } from './roles.ts';
import { queryRows } from './sqlRows.ts';

/**
 * Refreshes the planner's statistics for every table of the four subgraph schemas. Without them
 * PostgreSQL guesses row counts after a bulk load (migrate, seed) and picks plans that scan whole
 * tables until autovacuum happens to analyze them: the ledger's transactions page joined every user
 * account on every request. Named tables rather than a bare ANALYZE, so nothing else in the
 * database (other schemas, other owners) is touched. Works on PostgreSQL and PGlite alike.
 */
export async function analyzeSchemas(db: Executor): Promise<number> {
  const tables = await queryRows<{ schema: string; name: string }>(
    db,
    sql`select schemaname as schema, tablename as name from pg_catalog.pg_tables
        where schemaname in (${sql.join(OWNED_SCHEMAS.map((s) => sql`${s}`), sql`, `)})
        order by schemaname, tablename`,
  );
  if (tables.length === 0) return 0;
  await db.execute(sql.raw(`ANALYZE ${tables.map((t) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`).join(', ')}`));
  return tables.length;
}
