import { ANONYMOUS, encodePrincipal, PRINCIPAL_HEADER, signRequest, SUBGRAPH_HEADER } from '@greenpoints/common';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { PrincipalContext } from './useJwtPrincipal.ts';

type HeaderBag = Record<string, string>;

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  return (headers as HeaderBag)[name];
}

/**
 * Signs every subgraph request: the principal, the target subgraph, the body, a timestamp and a
 * nonce (see common/src/signing.ts). Built here rather than on Hive's `hmacSignature`, whose MAC
 * covers the body alone: a subgraph must also know who is asking and refuse replays.
 *
 * Two steps, in this order on purpose:
 * 1. `onSubgraphExecute` puts the principal and subgraph into the request's `extensions.headers`.
 *    The HTTP executor merges identical in-flight requests by URL, body and those headers, so
 *    requests are merged only when the principal is the same too: one user's answer is never
 *    handed to another. The client's own `extensions` are dropped here and never reach a subgraph.
 * 2. `onFetch`, after merging, adds the signature over the exact body sent, with a fresh nonce.
 */
export function useSubgraphSigning(secret: string): GatewayPlugin<PrincipalContext> {
  return {
    onSubgraphExecute({ subgraphName, executionRequest }) {
      const principal = (executionRequest.context as PrincipalContext | undefined)?.principal ?? ANONYMOUS;
      // Changed in place, not replaced by a copy: the runtime's own plugins (the upstream timeout
      // among them) key their state by this object and find it again in onFetch through
      // `info.executionRequest`, which still points here. With a copy, a timed-out subgraph call
      // lost its subgraph's name and reached the client as a bare 504.
      executionRequest.extensions = { headers: { [PRINCIPAL_HEADER]: encodePrincipal(principal), [SUBGRAPH_HEADER]: subgraphName } };
    },
    onFetch({ context, options, setOptions }) {
      const principal = headerOf(options.headers, PRINCIPAL_HEADER);
      const subgraph = headerOf(options.headers, SUBGRAPH_HEADER);
      // Only subgraph calls carry these; anything else the runtime fetches is not ours to sign.
      if (!principal || !subgraph) return;
      const body = typeof options.body === 'string' ? options.body : '';
      const requestId = context && 'request' in context ? (context.request as Request).headers.get('x-request-id') : null;
      const headers: HeaderBag = {};
      if (options.headers instanceof Headers) options.headers.forEach((v, k) => (headers[k] = v));
      else Object.assign(headers, options.headers as HeaderBag | undefined);
      setOptions({
        ...options,
        headers: {
          ...headers,
          ...signRequest({ principal, subgraph, body }, secret),
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
      });
    },
  };
}
