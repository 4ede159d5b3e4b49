import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { ExecutionResult } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import { errorCodeLabel } from './boundedLabel.ts';

export const ERRORS_METRIC = 'greenpoints_graphql_errors_total';

/**
 * Errors answered to clients, by `extensions.code`, counted where results are sent (after masking
 * and after useRequestErrorCodes has given GraphQL's own request errors a code), so the counter
 * shows exactly the codes clients read. The rate limiter answers 429 before any GraphQL result
 * exists; that answer is counted as RATE_LIMITED here. Streamed (incremental) results are not
 * counted: nothing in this graph streams.
 */
export function useErrorCodeMetrics(registry: Registry): GatewayPlugin {
  const code = errorCodeLabel();
  const errors = new Counter({
    name: ERRORS_METRIC,
    help: 'GraphQL errors answered to clients, by extensions.code (codes past the first 100 distinct ones, and missing codes, count as OTHER)',
    labelNames: ['code'],
    registers: [registry],
  });
  const counted = new WeakSet<Request>();
  return {
    onResultProcess({ request, result }) {
      counted.add(request);
      const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
      for (const r of results) {
        if (!r || typeof r !== 'object' || !('errors' in r)) continue;
        for (const e of r.errors ?? []) {
          const value = e.extensions?.['code'];
          errors.inc({ code: code(typeof value === 'string' ? value : undefined) });
        }
      }
    },
    onResponse({ request, response }) {
      if (response.status === 429 && !counted.has(request)) errors.inc({ code: 'RATE_LIMITED' });
    },
  };
}
