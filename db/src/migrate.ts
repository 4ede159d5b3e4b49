import { pathToFileURL } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { connect, type DbHandle } from './client.ts';
import { loadDbConfig, migrationsFolder } from './config.ts';

/** Applies the committed migrations (db/migrations); each runs once, recorded in drizzle.__drizzle_migrations. */
export async function migrate(handle: DbHandle): Promise<void> {
  if (handle.driver === 'pglite') {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
  } else {
    await migratePostgres(handle.db as unknown as PostgresJsDatabase, { migrationsFolder });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = loadDbConfig();
  const handle = await connect({ databaseUrl: config.DATABASE_URL, pgliteDataDir: config.PGLITE_DATA_DIR });
  await migrate(handle);
  await handle.close();
  console.log(`migrated (${handle.driver})`);
}
