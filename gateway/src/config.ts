import { fileURLToPath } from 'node:url';
import { isProduction, LOG_LEVELS, parseEnv, resolveSecrets, tracingConfigShape, tracingOptions, type SecretName, type TracingOptions } from '@greenpoints/common';
import { z } from 'zod';

const defaultSupergraph = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
const defaultManifest = fileURLToPath(new URL('../persisted-documents.json', import.meta.url));

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const list = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** Every gateway setting, read from env once. Limits have safe defaults; secrets do not in production. */
const schema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: int(0, 65535, 4000),
  /** Loopback unless configured: a development gateway with public default secrets must not face a network. */
  HOST: z.string().min(1).default('127.0.0.1'),
  SUPERGRAPH_PATH: z.string().default(defaultSupergraph),
  /** Production: a JWKS URL (keys rotate; cached by `kid`) or JWT_SECRET for HS256. */
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_CLOCK_SKEW_S: int(0, 300, 30),
  /** Browser origins allowed by CORS, comma-separated; empty means no cross-origin access. */
  CORS_ORIGINS: list,
  /** Shared state for several gateway replicas (rate limits); in memory when unset. */
  REDIS_URL: z.string().url().optional(),
  MAX_BODY_BYTES: int(1_024, 10_485_760, 65_536),
  MAX_DEPTH: int(2, 50, 12),
  MAX_ALIASES: int(0, 1_000, 30),
  MAX_DIRECTIVES: int(0, 1_000, 20),
  MAX_TOKENS: int(100, 100_000, 2_000),
  /** Estimated cost ceilings (see limits/cost.ts); staff and analysts read more at once. */
  MAX_COST: int(10, 1_000_000, 5_000),
  MAX_COST_STAFF: int(10, 1_000_000, 20_000),
  /** Requests per principal (or per client address when anonymous) per window. */
  RATE_LIMIT_MAX: int(1, 1_000_000, 600),
  RATE_LIMIT_ANONYMOUS_MAX: int(1, 1_000_000, 120),
  RATE_LIMIT_WINDOW_MS: int(1_000, 3_600_000, 60_000),
  /** Partner quotas in cost units (see limits/analyzeOperation.ts); PARTNER_QUOTAS overrides per partner. */
  PARTNER_QUOTA_PER_MINUTE: int(1, 1_000_000_000, 20_000),
  PARTNER_QUOTA_PER_DAY: int(1, 1_000_000_000, 2_000_000),
  /** JSON: {"partner-id": {"perMinute": 5000, "perDay": 500000}, …} */
  PARTNER_QUOTAS: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), z.object({ perMinute: z.number().int().positive(), perDay: z.number().int().positive() }))),
  UPSTREAM_TIMEOUT_MS: int(100, 120_000, 5_000),
  /** Per-subgraph overrides, e.g. UPSTREAM_TIMEOUT_MS_LEDGER=8000. */
  UPSTREAM_TIMEOUT_MS_USERS: z.coerce.number().int().min(100).max(120_000).optional(),
  UPSTREAM_TIMEOUT_MS_MERCHANTS: z.coerce.number().int().min(100).max(120_000).optional(),
  UPSTREAM_TIMEOUT_MS_LEDGER: z.coerce.number().int().min(100).max(120_000).optional(),
  UPSTREAM_TIMEOUT_MS_GREEN_IMPACT: z.coerce.number().int().min(100).max(120_000).optional(),
  /** The trusted-documents manifest (`npm run documents -w gateway` builds it). */
  PERSISTED_DOCUMENTS_PATH: z.string().default(defaultManifest),
  /** Whether consumers may only run trusted documents; on by default in production. */
  TRUSTED_DOCUMENTS_ONLY: z.enum(['true', 'false']).optional(),
  /** Gzip answers for clients that accept it (the runtime's contentEncoding); off: compress at the edge (README). */
  RESPONSE_COMPRESSION: z.enum(['true', 'false']).default('false'),
  SUBGRAPH_URL_USERS: z.string().url().optional(),
  SUBGRAPH_URL_MERCHANTS: z.string().url().optional(),
  SUBGRAPH_URL_LEDGER: z.string().url().optional(),
  SUBGRAPH_URL_GREEN_IMPACT: z.string().url().optional(),
  /** Bearer token Prometheus sends to scrape /metrics; production serves /metrics only with one. */
  METRICS_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** OpenTelemetry: OTEL_EXPORTER_OTLP_ENDPOINT turns traces on (common/src/telemetry.ts). */
  ...tracingConfigShape,
});

const SUBGRAPHS = ['users', 'merchants', 'ledger', 'green-impact'] as const;
const envSuffix = (name: string) => name.toUpperCase().replace('-', '_');

export interface PartnerQuota {
  perMinute: number;
  perDay: number;
}

export interface SecuritySettings {
  production: boolean;
  jwt: { secret: string; jwksUrl?: string | undefined; issuer?: string | undefined; audience?: string | undefined; clockSkewS: number };
  corsOrigins: string[];
  redisUrl?: string | undefined;
  limits: { maxBodyBytes: number; maxDepth: number; maxAliases: number; maxDirectives: number; maxTokens: number; maxCost: number; maxCostStaff: number };
  rateLimit: { max: number; anonymousMax: number; windowMs: number };
  partnerQuotas: { default: PartnerQuota; byPartner: Record<string, PartnerQuota> };
  upstreamTimeoutMs: Record<string, number>;
  persistedDocumentsPath: string;
  trustedDocumentsOnly: boolean;
  responseCompression: boolean;
  metricsToken?: string | undefined;
}

export interface GatewayConfig {
  port: number;
  host: string;
  supergraphPath: string;
  signingSecret: string;
  security: SecuritySettings;
  subgraphUrls: Record<string, string>;
  logLevel: (typeof LOG_LEVELS)[number];
  defaultedSecrets: SecretName[];
  /** Where to export traces, or null (no OTLP endpoint configured). */
  tracing: TracingOptions | null;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): GatewayConfig {
  const p = parseEnv(schema, env);
  const production = isProduction(env);
  // With a JWKS URL the JWT secret is not needed; the signing secret always is.
  const names: SecretName[] = p.JWT_JWKS_URL ? ['SUBGRAPH_SIGNING_SECRET'] : ['JWT_SECRET', 'SUBGRAPH_SIGNING_SECRET'];
  const { values, defaulted } = resolveSecrets(env, names);
  const flag = argv.indexOf('--supergraph');
  const fromFlag = flag >= 0 ? argv[flag + 1] : argv.find((a) => a.startsWith('--supergraph='))?.slice('--supergraph='.length);
  const subgraphUrls: Record<string, string> = {};
  const upstreamTimeoutMs: Record<string, number> = {};
  for (const name of SUBGRAPHS) {
    const url = p[`SUBGRAPH_URL_${envSuffix(name)}` as keyof typeof p] as string | undefined;
    if (url) subgraphUrls[name] = url;
    upstreamTimeoutMs[name] = (p[`UPSTREAM_TIMEOUT_MS_${envSuffix(name)}` as keyof typeof p] as number | undefined) ?? p.UPSTREAM_TIMEOUT_MS;
  }
  return {
    port: p.PORT,
    host: p.HOST,
    supergraphPath: fromFlag ?? p.SUPERGRAPH_PATH,
    signingSecret: values.SUBGRAPH_SIGNING_SECRET ?? '',
    subgraphUrls,
    logLevel: p.LOG_LEVEL,
    defaultedSecrets: defaulted,
    tracing: tracingOptions(p, 'gateway'),
    security: {
      production,
      jwt: { secret: values.JWT_SECRET ?? '', jwksUrl: p.JWT_JWKS_URL, issuer: p.JWT_ISSUER, audience: p.JWT_AUDIENCE, clockSkewS: p.JWT_CLOCK_SKEW_S },
      corsOrigins: p.CORS_ORIGINS,
      redisUrl: p.REDIS_URL,
      limits: {
        maxBodyBytes: p.MAX_BODY_BYTES,
        maxDepth: p.MAX_DEPTH,
        maxAliases: p.MAX_ALIASES,
        maxDirectives: p.MAX_DIRECTIVES,
        maxTokens: p.MAX_TOKENS,
        maxCost: p.MAX_COST,
        maxCostStaff: p.MAX_COST_STAFF,
      },
      rateLimit: { max: p.RATE_LIMIT_MAX, anonymousMax: p.RATE_LIMIT_ANONYMOUS_MAX, windowMs: p.RATE_LIMIT_WINDOW_MS },
      partnerQuotas: { default: { perMinute: p.PARTNER_QUOTA_PER_MINUTE, perDay: p.PARTNER_QUOTA_PER_DAY }, byPartner: p.PARTNER_QUOTAS },
      upstreamTimeoutMs,
      persistedDocumentsPath: p.PERSISTED_DOCUMENTS_PATH,
      trustedDocumentsOnly: p.TRUSTED_DOCUMENTS_ONLY ? p.TRUSTED_DOCUMENTS_ONLY === 'true' : production,
      responseCompression: p.RESPONSE_COMPRESSION === 'true',
      metricsToken: p.METRICS_TOKEN,
    },
  };
}
