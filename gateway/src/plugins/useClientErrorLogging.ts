import type { Logger } from '@greenpoints/common';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { ExecutionResult } from 'graphql';

/** Codes that mean the caller made a mistake or was refused: not the server's problem. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT', 'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN',
  'QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'TOO_MANY_DIRECTIVES', 'QUERY_TOO_COMPLEX', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_ONLY', 'PERSISTED_QUERY_ID_REQUIRED', 'IDEMPOTENCY_CONFLICT', 'GROUP_TOO_SMALL',
  'UNKNOWN_MERCHANT', 'BUDGET_EXHAUSTED',
]);

/**
 * One info line per request that a client got wrong, with its request id and codes, so the console
 * of a healthy server shows no error blocks; server-side failures are logged where they happen.
 */
export function useClientErrorLogging(logger: Logger): GatewayPlugin {
  return {
    onResultProcess({ request, result }) {
      const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
      const codes = results.flatMap((r) => (r && 'errors' in r ? (r.errors ?? []) : [])).map((e) => String(e.extensions?.['code'] ?? 'UNKNOWN'));
      if (codes.length === 0) return;
      const requestId = request.headers.get('x-request-id') ?? undefined;
      if (codes.every((c) => CLIENT_CODES.has(c))) logger.info({ requestId, codes }, 'client error');
      else logger.warn({ requestId, codes }, 'request answered with errors');
    },
  };
}
