import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';

/**
 * Codes that mean "a subgraph could not be reached or failed", whatever the runtime called them.
 * RESPONSE_VALIDATION_FAILED is a subgraph answering with something other than GraphQL (a proxy's
 * 502 page, say); its message quotes that body, which is not the client's to read.
 */
const UPSTREAM_FAILURES = new Set([
  'DOWNSTREAM_SERVICE_ERROR',
  'SUBREQUEST_HTTP_ERROR',
  'RESPONSE_VALIDATION_FAILED',
  'TIMEOUT_ERROR',
  'GATEWAY_TIMEOUT',
  'INTERNAL_SERVER_ERROR',
]);
const TIMEOUTS = new Set(['TIMEOUT_ERROR', 'GATEWAY_TIMEOUT']);
/** Extensions the runtime adds for debugging that would hand a client URLs, queries and user ids. */
const INTERNAL_EXTENSIONS = ['stacktrace', 'exception', 'request', 'response', 'serviceName', 'http', 'originalError'];

/** By name, not `instanceof`: the runtime's errors may come from another copy of the graphql module. */
const isGraphQLError = (e: unknown): e is GraphQLError => e instanceof Error && e.name === 'GraphQLError';

function serviceOf(error: GraphQLError): string | undefined {
  const name = error.extensions?.['serviceName'];
  return typeof name === 'string' ? name : undefined;
}

/**
 * What a client may see of an error. Typed errors keep their code and the details their service
 * chose to give; a failing or unreachable subgraph becomes "the ledger service is unavailable"
 * (SUBGRAPH_UNAVAILABLE, or SUBGRAPH_TIMEOUT past its upstream timeout) with the subgraph's name, nothing more (no URL, no
 * subgraph query, no user id); anything else unexpected is masked as INTERNAL_SERVER_ERROR.
 */
export function maskError(error: unknown, message: string): Error {
  const original = isGraphQLError(error) && isGraphQLError(error.originalError) ? error.originalError : error;
  if (isGraphQLError(error)) {
    const code = error.extensions?.['code'] ?? (isGraphQLError(original) ? original.extensions?.['code'] : undefined);
    const service = serviceOf(error) ?? (isGraphQLError(original) ? serviceOf(original) : undefined);
    const path = error.path ?? undefined;
    if (service && (code === undefined || UPSTREAM_FAILURES.has(code as string))) {
      // The HTTP transport's timeout aborts the call, which surfaces as SUBREQUEST_HTTP_ERROR with 504.
      const timedOut = TIMEOUTS.has(code as string) || (error.extensions?.['http'] as { status?: unknown } | undefined)?.status === 504;
      const text = timedOut ? `The ${service} service did not answer in time` : `The ${service} service is unavailable`;
      return new GraphQLError(text, { path, extensions: { code: timedOut ? 'SUBGRAPH_TIMEOUT' : 'SUBGRAPH_UNAVAILABLE', service } });
    }
    if (typeof code === 'string' && !UPSTREAM_FAILURES.has(code)) {
      const extensions: Record<string, unknown> = { ...error.extensions };
      for (const key of INTERNAL_EXTENSIONS) delete extensions[key];
      // The gateway's own refusals set their HTTP status; a subgraph's status is not the client's.
      if (!service && error.extensions?.['http']) extensions['http'] = error.extensions['http'];
      return new GraphQLError(error.message, { path, extensions });
    }
    if (code === 'INTERNAL_SERVER_ERROR' || code === 'DOWNSTREAM_SERVICE_ERROR') {
      return new GraphQLError(message, { path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    }
  }
  return yogaMaskError(error, message, false);
}
