import { z } from 'zod';
import { DEV_JWT_SECRET, DEV_PII_KEY, DEV_SIGNING_SECRET } from './secrets.ts';
import { tracingConfigShape } from './telemetry.ts';

/**
 * Configuration rules every service shares. Each service's config.ts is the only reader of env and
 * builds on these. In production (`NODE_ENV=production`) every secret is required; in development
 * a missing secret falls back to a public development default, and the service announces it.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const SECRET_DEFAULTS = {
  JWT_SECRET: DEV_JWT_SECRET,
  SUBGRAPH_SIGNING_SECRET: DEV_SIGNING_SECRET,
  PII_KEY: DEV_PII_KEY,
} as const;
export type SecretName = keyof typeof SECRET_DEFAULTS;

/** A configuration mistake: printed as one readable line, never as a stack trace. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const isProduction = (env: NodeJS.ProcessEnv): boolean => env['NODE_ENV'] === 'production';

const secretValue = z.string().min(16, 'must be at least 16 characters');

export interface ResolvedSecrets<N extends SecretName> {
  values: Record<N, string>;
  /** Secrets that fell back to their development default (always empty in production). */
  defaulted: N[];
}

/** Production: each named secret must be set. Development: unset ones take their default. */
export function resolveSecrets<N extends SecretName>(env: NodeJS.ProcessEnv, names: readonly N[]): ResolvedSecrets<N> {
  const production = isProduction(env);
  const missing = names.filter((n) => !env[n]);
  if (production && missing.length > 0) {
    throw new ConfigError(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required when NODE_ENV=production`);
  }
  const values = {} as Record<N, string>;
  for (const name of names) {
    const given = env[name];
    if (given === undefined || given === '') {
      values[name] = SECRET_DEFAULTS[name];
      continue;
    }
    const checked = secretValue.safeParse(given);
    if (!checked.success) throw new ConfigError(`${name} ${checked.error.issues[0]?.message ?? 'is not valid'}`);
    if (given === SECRET_DEFAULTS[name] && production) throw new ConfigError(`${name} is the public development default`);
    values[name] = given;
  }
  return { values, defaulted: missing };
}

/** Parses env with a zod schema, turning failures into one ConfigError naming each bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`);
  throw new ConfigError(problems.join('; '));
}

/** For a service's entry point: on a ConfigError print one line and exit 2; rethrow anything else. */
export function configOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`${service}: configuration error: ${err.message}`);
    process.exit(2);
  }
}

/** Settings every subgraph shares. */
export function subgraphConfigSchema(defaultPort: number) {
  return z.object({
    NODE_ENV: z.string().default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Shared by every replica of a subgraph, so a replayed request is refused by all of them. */
    REDIS_URL: z.string().url().optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    ...tracingConfigShape,
  });
}

export interface SubgraphSettings<T> {
  settings: T;
  signingSecret: string;
  /** Secrets left at their development default; the service logs a warning naming each. */
  defaultedSecrets: SecretName[];
}

/** Loads a subgraph's config: its zod schema plus the signing secret (and any other secrets it names). */
export function loadSubgraphConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  extraSecrets: readonly SecretName[] = [],
): SubgraphSettings<z.infer<S>> & { secrets: Record<SecretName, string> } {
  const settings = parseEnv(schema, env);
  const { values, defaulted } = resolveSecrets(env, ['SUBGRAPH_SIGNING_SECRET', ...extraSecrets]);
  return { settings, signingSecret: values.SUBGRAPH_SIGNING_SECRET, defaultedSecrets: defaulted, secrets: values as Record<SecretName, string> };
}

/** Development only: one warning per secret left at its public default. */
export function announceDefaults(logger: { warn(msg: string): void }, defaulted: readonly SecretName[]): void {
  for (const name of defaulted) {
    logger.warn(`${name} is not set: using the public development default (NODE_ENV=production refuses to start without it)`);
  }
}
