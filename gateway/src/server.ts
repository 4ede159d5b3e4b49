import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGatewayRuntime, type GatewayConfigContext, type GatewayPlugin, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Logger } from '@greenpoints/common';
import { loadConfig, type SecuritySettings } from './config.ts';
import { maskError } from './errors/maskError.ts';
import { costModelFromSupergraph } from './limits/costModel.ts';
import { memoryQuotaStore, redisQuotaStore } from './limits/quotaStore.ts';
import { loadManifest, operationNames } from './documents/manifest.ts';
import { createTokenVerifier, principalOf, useJwtPrincipal, type PrincipalContext } from './plugins/useJwtPrincipal.ts';
import { useClientErrorLogging } from './plugins/useClientErrorLogging.ts';
import { useDashboard } from './plugins/useDashboard.ts';
import { useMetrics } from './plugins/useMetrics.ts';
import { useNoFieldSuggestions } from './plugins/useNoFieldSuggestions.ts';
import { useFieldAuthorization, validateUser } from './plugins/useFieldAuthorization.ts';
import { useIntrospectionAlone } from './plugins/useIntrospectionAlone.ts';
import { useOperationLimits } from './plugins/useOperationLimits.ts';
import { usePartnerContract } from './plugins/usePartnerContract.ts';
import { usePartnerQuota } from './plugins/usePartnerQuota.ts';
import { createRateLimiter, useRateLimit } from './plugins/useRateLimit.ts';
import { greenImpactUrl, useReportImages } from './plugins/useReportImages.ts';
import { useRequestErrorCodes } from './plugins/useRequestErrorCodes.ts';
import { useRequestLimits } from './plugins/useRequestLimits.ts';
import { useSubgraphSigning } from './plugins/useSubgraphSigning.ts';
import { useUpstreamTimeout } from './plugins/useUpstreamTimeout.ts';
import { subgraphOrigins } from './subgraphOrigins.ts';

const DEFAULT_CONTRACT = fileURLToPath(new URL('../../schema/contracts/partner.graphql', import.meta.url));

export interface GatewayOptions {
  /** Supergraph SDL, or a path to a supergraph file. */
  supergraph: string;
  /** Per-subgraph URL overrides by subgraph name (tests start subgraphs on random ports). */
  subgraphUrls?: Record<string, string>;
  signingSecret: string;
  /** Authentication, limits, CORS, trusted documents; `defaultSecurity()` gives the development defaults. */
  security: SecuritySettings;
  logger: Logger;
  /** The partner contract's public SDL (schema/contracts/partner.graphql by default). */
  partnerContract?: string;
  /**
   * Trace requests (OpenTelemetry): `useTracing` from ./plugins/useTracing.ts, imported by the caller
   * only when tracing is on (the runtime's OpenTelemetry plugin takes seconds to load); the process
   * must have started tracing (common/src/tracing.ts).
   */
  tracing?: ((ctx: GatewayConfigContext) => GatewayPlugin) | undefined;
}

/** The development security settings, with overrides (tests tighten limits this way). */
export function defaultSecurity(overrides: Partial<SecuritySettings> = {}): SecuritySettings {
  return { ...loadConfig({}, []).security, ...overrides };
}

const readSdl = (sdlOrPath: string) => (sdlOrPath.includes('{') ? sdlOrPath : readFileSync(sdlOrPath, 'utf8'));

/** Roles whose documents must come from the trusted-documents manifest when that is enforced. */
const TRUSTED_ONLY_ROLES = new Set(['anonymous', 'consumer', 'merchant']);

/** Trusted documents by id (`documentId` or Apollo's persisted-query hash), enforced per role. */
function trustedDocuments(security: SecuritySettings, manifest: Map<string, string>) {
  const clientError = (message: string, code: string) => ({ message, extensions: { code, http: { status: 400 } } });
  return {
    getPersistedOperation: (key: string) => manifest.get(key) ?? null,
    extractPersistedOperationId: (params: { documentId?: unknown; extensions?: Record<string, unknown> }) => {
      if (typeof params.documentId === 'string') return params.documentId;
      const apq = params.extensions?.['persistedQuery'] as { sha256Hash?: unknown } | undefined;
      return typeof apq?.sha256Hash === 'string' ? apq.sha256Hash : null;
    },
    allowArbitraryDocuments: (request: Request) => !security.trustedDocumentsOnly || !TRUSTED_ONLY_ROLES.has(principalOf(request).role),
    customErrors: {
      persistedQueryOnly: clientError('Only trusted documents may be run: send a documentId from the manifest', 'PERSISTED_QUERY_ONLY'),
      notFound: clientError('No trusted document has this id', 'PERSISTED_QUERY_NOT_FOUND'),
      keyNotFound: clientError('Send a documentId', 'PERSISTED_QUERY_ID_REQUIRED'),
    },
  };
}

/** Hive's generic auth over @authenticated / @requiresScopes, with our glue (useFieldAuthorization.ts). */
function fieldAuthorization() {
  return {
    mode: 'protect-granular' as const,
    resolveUserFn: (context: unknown) => {
      const principal = principalOf((context as { request?: Request }).request);
      return principal.role !== 'anonymous' ? principal : null;
    },
    // Scopes come from the verified role alone: a token's own `scope` claim can never grant a role.
    extractScopes: (principal: unknown) => (principal ? [`role:${(principal as { role: string }).role}`] : []),
    rejectUnauthenticated: false,
    validateUser: validateUser as never,
  };
}

/** Where each subgraph is, when not the supergraph's URL (tests start subgraphs on random ports). */
function subgraphTransports(urls: Record<string, string>) {
  return Object.fromEntries(Object.entries(urls).map(([name, location]) => [name, { location }]));
}

/** Builds the gateway: Hive Gateway runtime with the Rust query planner. It never listens by itself. */
export function createGateway(options: GatewayOptions): GatewayRuntime<PrincipalContext> {
  const { security } = options;
  const supergraph = readSdl(options.supergraph);
  const costs = costModelFromSupergraph(supergraph);
  const contract = readSdl(options.partnerContract ?? DEFAULT_CONTRACT);
  const manifest = existsSync(security.persistedDocumentsPath) ? loadManifest(security.persistedDocumentsPath) : new Map<string, string>();
  // One store for rate limits and partner quotas: Redis when replicas share them, memory otherwise.
  const budgets = security.redisUrl ? redisQuotaStore(security.redisUrl) : memoryQuotaStore();
  const log = options.logger.child({ service: 'gateway' });
  const rateLimit = createRateLimiter(budgets, security.rateLimit, log);
  const transportEntries = subgraphTransports(options.subgraphUrls ?? {});
  const allowed = new Set(security.corsOrigins);

  return createGatewayRuntime<PrincipalContext>({
    supergraph,
    unifiedGraphHandler,
    transportEntries,
    transports: { http: import('@graphql-mesh/transport-http') },
    plugins: (ctx) => {
      const metrics = useMetrics(ctx, {
        production: security.production,
        token: security.metricsToken,
        operationNames: operationNames(manifest),
        subgraphOrigins: subgraphOrigins(supergraph, options.subgraphUrls),
        signingSecret: options.signingSecret,
        logger: log,
      });
      return [
        ...(options.tracing ? [options.tracing(ctx)] : []),
        ...metrics.plugins,
        useDashboard(log),
        useJwtPrincipal(createTokenVerifier(security.jwt)),
        useRateLimit(rateLimit),
        useReportImages(greenImpactUrl(supergraph, options.subgraphUrls), options.signingSecret, rateLimit),
        useRequestLimits(security.limits.maxBodyBytes),
        useOperationLimits(security.limits, costs),
        useIntrospectionAlone(),
        usePartnerContract(contract),
        usePartnerQuota(budgets, security.partnerQuotas, log),
        useSubgraphSigning(options.signingSecret),
        useUpstreamTimeout(security.upstreamTimeoutMs),
        useFieldAuthorization(),
        useRequestErrorCodes(),
        useNoFieldSuggestions((role) => security.production && role !== 'admin'),
        useClientErrorLogging(log),
        ...metrics.afterResults,
        { onDispose: () => budgets.close() },
      ];
    },
    persistedDocuments: trustedDocuments(security, manifest),
    genericAuth: fieldAuthorization(),
    disableIntrospection: { disableIf: ({ context }) => security.production && principalOf(context.request).role !== 'admin' },
    csrfPrevention: { requestHeaders: ['x-graphql-csrf'] },
    cors: (request) => {
      const origin = request.headers.get('origin');
      // `false`, not an empty list: an empty origin list means "any origin" to the CORS plugin.
      return origin && allowed.has(origin) ? { origin: [origin], credentials: true, maxAge: 600 } : false;
    },
    batching: false,
    renderGraphiQL,
    graphiql: security.production ? false : { title: 'Greenpoints', defaultQuery: EXAMPLE_QUERY },
    landingPage: false,
    maskedErrors: { isDev: false, maskError },
    contentEncoding: security.responseCompression,
    logging: log.level === 'silent' ? false : 'warn',
  });
}

export const EXAMPLE_QUERY = `# Sign in with a token: npm run token (then set Headers: {"Authorization": "Bearer <token>"})
query MyGreenpoints {
  me {
    displayName
    household { name members { displayName } }
    points {
      balance
      pending
      greenPoints: balance(asset: GREEN_POINTS)
      tier
      transactions(first: 5) {
        edges { node { type points greenPoints createdAt merchant { name category } } }
      }
    }
    greenImpact { totals { co2eKg waterLitres greenPoints } equivalents { treeYears } }
  }
  catalog(first: 5) {
    edges { node { title kind currentPointsCost merchant { name } } }
  }
}
`;
