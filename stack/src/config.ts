import { DEV_JWT_SECRET, DEV_PII_KEY, DEV_SIGNING_SECRET } from '@greenpoints/common';
import { loadDbConfig, rolePasswords, type ConnectOptions, type DbConfig, type RolePasswords } from '@greenpoints/db';
import { minGroupSizeSchema } from '@greenpoints/green-impact/config';
import { z } from 'zod';

const schema = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  /** Subgraphs listen on loopback from this port up (4001–4004); they only talk to the gateway. */
  SUBGRAPH_BASE_PORT: z.coerce.number().int().min(0).max(65531).default(4001),
  JWT_SECRET: z.string().min(16).optional(),
  SUBGRAPH_SIGNING_SECRET: z.string().min(16).default(DEV_SIGNING_SECRET),
  PII_KEY: z.string().min(16).default(DEV_PII_KEY),
  SEED_USERS: z.coerce.number().int().min(1).max(100_000).default(300),
  /** green-impact's k-anonymity minimum, as its own config.ts defines it. */
  REPORT_MIN_GROUP_SIZE: minGroupSizeSchema,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type StackConfig = z.infer<typeof schema> & {
  jwtSecret: string;
  usingDevJwtSecret: boolean;
  /** DATABASE_URL, or the embedded database's folder (db/src/config.ts owns both settings). */
  db: ConnectOptions;
  /** db/src/config.ts: each subgraph as its own Postgres role, and the roles' passwords. */
  subgraphRoles: boolean;
  rolePasswords: RolePasswords;
  dbConfig: DbConfig;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const parsed = schema.parse(env);
  const dbConfig = loadDbConfig(env);
  return {
    ...parsed,
    jwtSecret: parsed.JWT_SECRET ?? DEV_JWT_SECRET,
    usingDevJwtSecret: !parsed.JWT_SECRET,
    db: { databaseUrl: dbConfig.DATABASE_URL, pgliteDataDir: dbConfig.PGLITE_DATA_DIR, poolMax: dbConfig.DB_POOL_MAX },
    subgraphRoles: dbConfig.DB_SUBGRAPH_ROLES,
    rolePasswords: rolePasswords(dbConfig),
    dbConfig,
  };
}
