import { pathToFileURL } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { analyzeSchemas } from './analyze.ts';
import { connect, type DbHandle } from './client.ts';
import { loadDbConfig, migrationsFolder, rolePasswords } from './config.ts';
import { ensureSubgraphRoles, type RolePasswords } from './roles.ts';

export interface MigrateOptions {
  /** Passwords to set on the subgraph roles (PostgreSQL only); none where pg_hba trusts them. */
  rolePasswords?: RolePasswords;
}

/**
 * Applies the committed migrations (db/migrations; each runs once, recorded in
 * drizzle.__drizzle_migrations), then, on PostgreSQL, creates or repairs the per-subgraph roles and
 * grants them their own schema: done in code after every run, so tables a new migration adds are
 * granted too, without a migration of its own. Last, it refreshes the planner's statistics of the
 * four schemas, since a migration may have rewritten a table or added an index.
 */
export async function migrate(handle: DbHandle, options: MigrateOptions = {}): Promise<void> {
  if (handle.driver === 'pglite') {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
  } else {
    await migratePostgres(handle.db as unknown as PostgresJsDatabase, { migrationsFolder });
    await ensureSubgraphRoles(handle, options.rolePasswords);
  }
  await analyzeSchemas(handle.db);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = loadDbConfig();
  const handle = await connect({ databaseUrl: config.DATABASE_URL, pgliteDataDir: config.PGLITE_DATA_DIR });
  await migrate(handle, { rolePasswords: rolePasswords(config) });
  await handle.close();
  console.log(`migrated (${handle.driver}${handle.driver === 'postgres' ? ', subgraph roles granted' : ''})`);
}
