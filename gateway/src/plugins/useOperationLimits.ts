import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import type { SecuritySettings } from '../config.ts';
import { analyzeOperation, type OperationStats } from '../limits/analyzeOperation.ts';
import type { CostModel } from '../limits/costModel.ts';
import { principalOf } from './useJwtPrincipal.ts';

/** Each request's estimated cost, for the partner quotas charged after validation. */
const costs = new WeakMap<Request, number>();
export const operationCostOf = (request: Request | undefined): number | undefined => (request ? costs.get(request) : undefined);

/** Expanded fields one operation may select, whatever its cost: bounds the validator's own work. */
const MAX_FIELDS = 1_500;

function refuse(code: string, message: string, limit: number, actual: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, actual: Number.isFinite(actual) ? actual : 'unbounded', http: { status: 400 } } });
}

function check(stats: OperationStats, limits: SecuritySettings['limits'], maxCost: number): GraphQLError | null {
  if (stats.depth > limits.maxDepth) return refuse('QUERY_TOO_DEEP', `Query depth ${stats.depth} exceeds ${limits.maxDepth}`, limits.maxDepth, stats.depth);
  if (stats.aliases > limits.maxAliases) return refuse('TOO_MANY_ALIASES', `${stats.aliases} aliases exceed ${limits.maxAliases}`, limits.maxAliases, stats.aliases);
  if (stats.directives > limits.maxDirectives) {
    return refuse('TOO_MANY_DIRECTIVES', `${stats.directives} directives exceed ${limits.maxDirectives}`, limits.maxDirectives, stats.directives);
  }
  if (stats.fields > MAX_FIELDS) return refuse('QUERY_TOO_COMPLEX', `${stats.fields} selected fields exceed ${MAX_FIELDS}`, MAX_FIELDS, stats.fields);
  if (stats.cost > maxCost) return refuse('QUERY_TOO_COMPLEX', `Estimated cost ${stats.cost} exceeds ${maxCost}`, maxCost, stats.cost);
  return null;
}

/**
 * Refuses expensive documents before they are validated, planned or executed: tokens while
 * parsing; then depth, aliases, directives, selected fields and an estimated cost (from @cost and
 * @listSize in the SDL, with a higher ceiling for staff and analysts) in one pass that measures
 * each fragment once. Validation itself (overlapping-fields checks are quadratic) only ever sees
 * documents that passed, so a hostile query costs milliseconds.
 *
 * Refusals are thrown rather than set as the validation result: Yoga caches validation results by
 * document, and a verdict that depends on the caller (role, variables) must never be cached.
 */
export function useOperationLimits(limits: SecuritySettings['limits'], model: CostModel): GatewayPlugin {
  return {
    onParse({ parseFn, setParseFn }) {
      // The runtime's own parse (not an import of ours), so its errors are the runtime's kind.
      setParseFn((source, options) => parseFn(source, { ...options, maxTokens: limits.maxTokens }));
    },
    onValidate({ params, context }) {
      const ctx = context as { request?: Request; params?: { variables?: Record<string, unknown> } };
      const analysis = analyzeOperation(params.schema, model, params.documentAST, ctx.params?.variables ?? {});
      if (!analysis.ok) {
        throw new GraphQLError(analysis.reason, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
      }
      if (ctx.request) costs.set(ctx.request, analysis.stats.cost);
      const role = principalOf(ctx.request).role;
      const maxCost = role === 'admin' || role === 'auditor' || role === 'analyst' ? limits.maxCostStaff : limits.maxCost;
      const error = check(analysis.stats, limits, maxCost);
      if (error) throw error;
    },
  };
}
