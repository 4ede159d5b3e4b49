import { createSubgraphServer, loadTypeDefs, type ServerDeps } from '@greenpoints/common';
import { createContextFactory, type MerchantsDeps } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const name = 'merchants';
export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));
export { resolvers };

/** Builds the merchants subgraph from injected dependencies; it never listens (index.ts does). */
export function createServer(deps: MerchantsDeps & ServerDeps) {
  return createSubgraphServer({ name, typeDefs, resolvers, ...deps, context: createContextFactory(deps) });
}
