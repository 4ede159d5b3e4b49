import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, type ExecutionResult } from 'graphql';

/**
 * Every error a client sees carries `extensions.code`. GraphQL's own request errors (a variable of
 * the wrong type, say) have none: they are raised before execution, so the result has no `data` and
 * the error no `path`. Those are the caller's mistake and get BAD_USER_INPUT.
 */
function withCodes(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length || 'data' in result) return result;
  const errors = result.errors.map((error) =>
    error.extensions?.['code'] || error.path
      ? error
      : new GraphQLError(error.message, { nodes: error.nodes ?? null, extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } }),
  );
  return { ...result, errors };
}

export function useRequestErrorCodes(): GatewayPlugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(withCodes));
      else if (!(Symbol.asyncIterator in (result as object))) setResult(withCodes(result as ExecutionResult));
    },
  };
}
