import { analyticsCacheTtlSchema, analyticsMinGroupSizeSchema, LOG_LEVELS, parseEnv, resolveSecrets, tracingConfigShape, tracingOptions, type SecretName, type TracingOptions } from '@greenpoints/common';
import { loadDbConfig, rolePasswords, type ConnectOptions, type DbConfig, type RolePasswords } from '@greenpoints/db';
import { deliveryOptions, eventsConfigShape, type DeliveryOptions } from '@greenpoints/events';
import { loadGatewayConfig, type SecuritySettings } from '@greenpoints/gateway';
import { minGroupSizeSchema } from '@greenpoints/green-impact/config';
import { loadConfig as loadUsersConfig } from '@greenpoints/users/config';
import { z } from 'zod';

const schema = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Loopback unless configured: development defaults must not face a network. */
  GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
  /** Subgraphs listen on loopback from this port up (4001–4004); they only talk to the gateway. */
  SUBGRAPH_BASE_PORT: z.coerce.number().int().min(0).max(65531).default(4001),
  SEED_USERS: z.coerce.number().int().min(1).max(1_000_000).default(300),
  /** green-impact's k-anonymity minimum, as its own config.ts defines it. */
  REPORT_MIN_GROUP_SIZE: minGroupSizeSchema,
  /** The analysts' k-anonymity minimum, for the ledger and green-impact alike (common/src/kAnonymity.ts). */
  ANALYTICS_MIN_GROUP_SIZE: analyticsMinGroupSizeSchema,
  /** How long the analysts' figures are reused, ledger and green-impact alike (common/src/sharedCache.ts). */
  ANALYTICS_CACHE_TTL_MS: analyticsCacheTtlSchema,
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  ...eventsConfigShape,
  /** OpenTelemetry: OTEL_EXPORTER_OTLP_ENDPOINT turns traces on for every service of the stack. */
  ...tracingConfigShape,
});

export type StackConfig = z.infer<typeof schema> & {
  signingSecret: string;
  piiKey: string;
  defaultedSecrets: SecretName[];
  /** The gateway's authentication, limits, CORS and trusted-documents settings (gateway/src/config.ts). */
  security: SecuritySettings;
  /** DATABASE_URL, or the embedded database's folder (db/src/config.ts owns both settings). */
  db: ConnectOptions;
  delivery: DeliveryOptions;
  /** The users subgraph's own settings (subgraphs/users/src/config.ts), read the same way. */
  users: { householdMaxMembers: number; piiPreviousKeys: string[]; noticeVersion: string };
  /** db/src/config.ts: each subgraph as its own Postgres role, and the roles' passwords. */
  subgraphRoles: boolean;
  rolePasswords: RolePasswords;
  dbConfig: DbConfig;
  /** Where to export traces, or null (no OTLP endpoint configured). */
  tracing: TracingOptions | null;
};

function usersSettings(env: NodeJS.ProcessEnv): StackConfig['users'] {
  const { settings } = loadUsersConfig(env);
  return { householdMaxMembers: settings.HOUSEHOLD_MAX_MEMBERS, piiPreviousKeys: settings.PII_PREVIOUS_KEYS, noticeVersion: settings.CONSENT_NOTICE_VERSION };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const parsed = parseEnv(schema, env);
  // Every secret the whole stack needs is checked first, so one message names all that are missing.
  const secrets: SecretName[] = env['JWT_JWKS_URL'] ? ['SUBGRAPH_SIGNING_SECRET', 'PII_KEY'] : ['JWT_SECRET', 'SUBGRAPH_SIGNING_SECRET', 'PII_KEY'];
  const { values, defaulted } = resolveSecrets(env, secrets);
  const security = loadGatewayConfig(env, []).security;
  const dbConfig = loadDbConfig(env);
  return {
    ...parsed,
    signingSecret: values.SUBGRAPH_SIGNING_SECRET,
    piiKey: values.PII_KEY,
    defaultedSecrets: defaulted,
    security,
    delivery: deliveryOptions(parsed),
    users: usersSettings(env),
    db: { databaseUrl: dbConfig.DATABASE_URL, pgliteDataDir: dbConfig.PGLITE_DATA_DIR, poolMax: dbConfig.DB_POOL_MAX, autocommitPoolMax: dbConfig.DB_AUTOCOMMIT_POOL_MAX },
    subgraphRoles: dbConfig.DB_SUBGRAPH_ROLES,
    rolePasswords: rolePasswords(dbConfig),
    dbConfig,
    tracing: tracingOptions(parsed, null),
  };
}
