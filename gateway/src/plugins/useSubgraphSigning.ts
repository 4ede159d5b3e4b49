import { ANONYMOUS, signPrincipal } from '@greenpoints/common';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { PrincipalContext } from './useJwtPrincipal.ts';

/**
 * Adds the caller's principal and an HMAC over it to every subgraph request. Subgraphs refuse
 * requests without it, so the only way in is through the gateway.
 */
export function useSubgraphSigning(secret: string): GatewayPlugin<PrincipalContext> {
  return {
    onFetch({ context, options, setOptions }) {
      const principal = (context as PrincipalContext | undefined)?.principal ?? ANONYMOUS;
      // Internal fetches (e.g. loading a supergraph by URL) have no client request behind them.
      const requestId = context && 'request' in context ? (context.request as Request).headers.get('x-request-id') : null;
      setOptions({
        ...options,
        headers: {
          ...(options.headers as Record<string, string> | undefined),
          ...signPrincipal(principal, secret),
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
      });
    },
  };
}
