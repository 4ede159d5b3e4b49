import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { principalOf } from './useJwtPrincipal.ts';

const SUGGESTION = /\s*Did you mean [^?]*\?$/;

function withoutSuggestions(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((e) => SUGGESTION.test(e.message))) return result;
  const errors = result.errors.map((e) =>
    SUGGESTION.test(e.message) ? new GraphQLError(e.message.replace(SUGGESTION, ''), { nodes: e.nodes ?? null, path: e.path ?? null, extensions: e.extensions }) : e,
  );
  return { ...result, errors };
}

/**
 * With introspection off (production, everyone but admins), errors must not hand the schema out
 * piece by piece either: "Cannot query field "merchantz" … Did you mean "merchants"?" loses its
 * suggestion, and so do the variable errors raised before execution (`Field "merchantIdz" is not
 * defined by type "CatalogFilter". Did you mean "merchantId"?`, an enum value misspelt). Applied to
 * the result the client is sent, so no phase's errors slip past.
 */
export function useNoFieldSuggestions(enabled: (role: string) => boolean): GatewayPlugin {
  return {
    onResultProcess({ request, result, setResult }) {
      if (!enabled(principalOf(request).role)) return;
      if (Array.isArray(result)) setResult(result.map(withoutSuggestions));
      else if (!(Symbol.asyncIterator in (result as object))) setResult(withoutSuggestions(result as ExecutionResult));
    },
  };
}
