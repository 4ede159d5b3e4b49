import { createSubgraphServer, loadTypeDefs, type ServerDeps } from '@greenpoints/common';
import { createContextFactory, type LedgerDeps } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const name = 'ledger';
export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));
export { resolvers };

/** Builds the ledger subgraph from injected dependencies; it never listens (index.ts does). */
export function createServer(deps: LedgerDeps & ServerDeps) {
  return createSubgraphServer({ name, typeDefs, resolvers, ...deps, context: createContextFactory(deps) });
}
