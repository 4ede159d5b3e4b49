import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

const schema = z.object({
  /** Unset: the embedded PGlite database, kept in PGLITE_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** A folder, or `memory://` for a throw-away in-memory database. */
  PGLITE_DATA_DIR: z.string().default(`${projectRoot}.data/pglite`),
  DB_POOL_MAX: z.coerce.number().int().positive().default(10),
});

export type DbConfig = z.infer<typeof schema>;

export function loadDbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  return schema.parse(env);
}

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));
