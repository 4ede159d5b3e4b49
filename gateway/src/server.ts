import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Logger } from '@greenpoints/common';
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { useJwtPrincipal, type PrincipalContext } from './plugins/useJwtPrincipal.ts';
import { useRequestErrorCodes } from './plugins/useRequestErrorCodes.ts';
import { useSubgraphSigning } from './plugins/useSubgraphSigning.ts';

export interface GatewayOptions {
  /** Supergraph SDL, or a path to a supergraph file. */
  supergraph: string;
  /** Per-subgraph URL overrides by subgraph name (tests start subgraphs on random ports). */
  subgraphUrls?: Record<string, string>;
  jwtSecret: string;
  signingSecret: string;
  logger: Logger;
}

/**
 * Keeps typed subgraph errors (their code is the contract) but strips stack traces, and masks
 * anything unexpected so internal messages never reach a client.
 */
function maskError(error: unknown, message: string): Error {
  if (error instanceof GraphQLError) {
    const { stacktrace: _s, exception: _e, ...extensions } = error.extensions as Record<string, unknown>;
    if (extensions['code'] === 'INTERNAL_SERVER_ERROR' || extensions['code'] === 'DOWNSTREAM_SERVICE_ERROR') {
      return new GraphQLError(message, { path: error.path ?? undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    }
    if (typeof extensions['code'] === 'string') {
      return new GraphQLError(error.message, { path: error.path ?? undefined, extensions });
    }
  }
  return yogaMaskError(error, message, false);
}

/** Builds the gateway: Hive Gateway runtime with the Rust query planner. It never listens by itself. */
export function createGateway(options: GatewayOptions): GatewayRuntime<PrincipalContext> {
  const transportEntries = Object.fromEntries(
    Object.entries(options.subgraphUrls ?? {}).map(([name, location]) => [name, { location }]),
  );
  const log = options.logger.child({ service: 'gateway' });
  return createGatewayRuntime<PrincipalContext>({
    supergraph: options.supergraph,
    unifiedGraphHandler,
    transportEntries,
    transports: { http: import('@graphql-mesh/transport-http') },
    plugins: () => [useJwtPrincipal(options.jwtSecret), useSubgraphSigning(options.signingSecret), useRequestErrorCodes()],
    renderGraphiQL,
    graphiql: { title: 'Greenpoints', defaultQuery: EXAMPLE_QUERY },
    landingPage: false,
    maskedErrors: { isDev: false, maskError },
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
