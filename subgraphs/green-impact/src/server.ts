import { createSubgraphServer, loadTypeDefs, type ServerDeps } from '@greenpoints/common';
import { createContextFactory, type GreenDeps } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const name = 'green-impact';
export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));
export { resolvers };

/** Builds the green-impact subgraph from injected dependencies; it never listens (index.ts does). */
export function createServer(deps: GreenDeps & ServerDeps) {
  return createSubgraphServer({ name, typeDefs, resolvers, ...deps, context: createContextFactory(deps) });
}
