import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, visit, type DocumentNode } from 'graphql';
import { findUncleanString } from './input.ts';

/**
 * The verdict per parsed document: Apollo Server keeps one parsed document per query text, so a
 * query asked again is not walked again (its variables still are, every time).
 */
const verdicts = new WeakMap<DocumentNode, boolean>();

function literalIsUnclean(document: DocumentNode): boolean {
  const known = verdicts.get(document);
  if (known !== undefined) return known;
  let unclean = false;
  visit(document, {
    StringValue(node) {
      if (findUncleanString(node.value) !== undefined) unclean = true;
    },
  });
  verdicts.set(document, unclean);
  return unclean;
}

/**
 * Refuses, before any resolver runs, an operation whose variables or string literals hold a NUL
 * byte or a lone surrogate. Every string argument of every subgraph is covered in one place, so a
 * field added later cannot let one through to Postgres (which would fail as an internal error).
 */
export function useCleanStrings<Ctx extends BaseContext>(): ApolloServerPlugin<Ctx> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ request, document }) => {
        if (findUncleanString(request.variables ?? {}) === undefined && !literalIsUnclean(document)) return;
        throw new GraphQLError('A string argument contains a NUL character or invalid UTF-16', {
          // A client mistake: 400, as GraphQL over HTTP answers any request error.
          extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
        });
      },
    }),
  };
}
