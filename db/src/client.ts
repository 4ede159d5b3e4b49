import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

/** What every repository receives. It does not say which driver is behind it, on purpose. */
export type Database = PgDatabase<PgQueryResultHKT>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Repositories take either a database or an open transaction. */
export type Executor = Database | Transaction;

export interface DbHandle {
  db: Database;
  driver: 'postgres' | 'pglite';
  /** The postgres.js client behind `db`, for statements drizzle does not model (roles, grants). */
  sql?: postgres.Sql<{ bigint: bigint }>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** A postgres:// URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder, or `memory://`. */
  pgliteDataDir?: string;
  poolMax?: number;
}

/** The one connection factory: postgres.js when a URL is given, embedded PGlite otherwise. */
export async function connect(options: ConnectOptions): Promise<DbHandle> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.poolMax ?? 10,
      onnotice: () => {},
      // Bigint columns hold points and money; they fit in a JS number (2^53) by a wide margin.
      types: { bigint: postgres.BigInt },
    });
    const db = drizzlePostgres(client, { casing: 'snake_case' }) as unknown as Database;
    return { db, driver: 'postgres', sql: client, close: () => client.end({ timeout: 5 }) };
  }
  const dataDir = options.pgliteDataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzlePglite(client, { casing: 'snake_case' }) as unknown as Database;
  return { db, driver: 'pglite', close: () => client.close() };
}
