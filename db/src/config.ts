import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ConnectOptions } from './client.ts';
import { roleDatabaseUrl, type OwnedSchema, type RolePasswords } from './roles.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z.object({
  /** Unset: the embedded PGlite database, kept in PGLITE_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** A folder, or `memory://` for a throw-away in-memory database. */
  PGLITE_DATA_DIR: z.string().default(`${projectRoot}.data/pglite`),
  DB_POOL_MAX: z.coerce.number().int().positive().max(100).default(10),
  /**
   * Connections for statements outside transactions (db/src/client.ts `autocommitPoolMax`); from
   * DB_POOL_MAX up, one pool for everything. With 3 on a 2-core machine PostgreSQL spent 20–26%
   * less CPU per home query than with one pool of 10, and purchases (transactions) ran as fast.
   */
  DB_AUTOCOMMIT_POOL_MAX: z.coerce.number().int().positive().max(100).default(3),
  /** Named prepared statements (db/src/client.ts); `false` behind PgBouncer in transaction mode. */
  DB_PREPARE: flag.default(true),
  /**
   * On PostgreSQL, each subgraph connects as its own role (db/src/roles.ts) that can use only its
   * own schema. Off only to diagnose a grant problem; PGlite never uses roles.
   */
  DB_SUBGRAPH_ROLES: flag.default(true),
  /** Each role's password, where pg_hba asks for one. The migration command sets them. */
  DB_PASSWORD_USERS: z.string().min(1).optional(),
  DB_PASSWORD_MERCHANTS: z.string().min(1).optional(),
  DB_PASSWORD_LEDGER: z.string().min(1).optional(),
  DB_PASSWORD_GREEN: z.string().min(1).optional(),
});

export type DbConfig = z.infer<typeof schema>;

export function loadDbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  return schema.parse(env);
}

export function rolePasswords(config: DbConfig): RolePasswords {
  return {
    users: config.DB_PASSWORD_USERS,
    merchants: config.DB_PASSWORD_MERCHANTS,
    ledger: config.DB_PASSWORD_LEDGER,
    green: config.DB_PASSWORD_GREEN,
  };
}

/**
 * How the subgraph owning `schema` connects: as its role on PostgreSQL (unless roles are switched
 * off), as the one embedded user on PGlite.
 */
export function subgraphConnectOptions(config: DbConfig, schema: OwnedSchema): ConnectOptions {
  const url = config.DATABASE_URL;
  return {
    databaseUrl: url && config.DB_SUBGRAPH_ROLES ? roleDatabaseUrl(url, schema, rolePasswords(config)[schema]) : url,
    pgliteDataDir: config.PGLITE_DATA_DIR,
    poolMax: config.DB_POOL_MAX,
    autocommitPoolMax: config.DB_AUTOCOMMIT_POOL_MAX,
    prepare: config.DB_PREPARE,
  };
}

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));
