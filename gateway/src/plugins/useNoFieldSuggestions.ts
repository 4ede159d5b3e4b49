import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { principalOf } from './useJwtPrincipal.ts';

const SUGGESTION = /\s*Did you mean [^?]*\?$/;

/**
 * With introspection off (production, everyone but admins), validation errors must not hand the
 * schema out piece by piece either: "Cannot query field "merchantz" … Did you mean "merchants"?"
 * loses its suggestion.
 */
export function useNoFieldSuggestions(enabled: (role: string) => boolean): GatewayPlugin {
  return {
    onValidate({ context }) {
      if (!enabled(principalOf((context as { request?: Request }).request).role)) return;
      return ({ result, setResult }) => {
        if (!result.some((e) => SUGGESTION.test(e.message))) return;
        setResult(result.map((e) => (SUGGESTION.test(e.message) ? new GraphQLError(e.message.replace(SUGGESTION, ''), { nodes: e.nodes ?? null, extensions: e.extensions }) : e)));
      };
    },
  };
}
