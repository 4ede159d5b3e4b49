import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, type DocumentNode } from 'graphql';
import { mixedIntrospection } from '../limits/rootFields.ts';

const MESSAGE = 'Introspection (__schema, __type) is answered on its own: ask it in an operation without other fields';

/**
 * The gateway answers introspection from its schema and plans everything else to the subgraphs;
 * an operation asking both could only fail in the planner (an internal error, logged as one). It is
 * refused up front as the client mistake it is, with a 400. The verdict depends on the document
 * alone, so it is kept per parsed document.
 */
export function useIntrospectionAlone(): GatewayPlugin {
  const mixed = new WeakMap<DocumentNode, boolean>();
  return {
    onValidate({ params }) {
      const document: DocumentNode = params.documentAST;
      let verdict = mixed.get(document);
      if (verdict === undefined) mixed.set(document, (verdict = mixedIntrospection(document) !== undefined));
      if (verdict) throw new GraphQLError(MESSAGE, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
    },
  };
}
