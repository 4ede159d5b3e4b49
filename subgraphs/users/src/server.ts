import { createSubgraphServer, loadTypeDefs, type ServerDeps } from '@greenpoints/common';
import { createContextFactory, type UsersDeps } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const name = 'users';
export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));
export { resolvers };

/** Builds the users subgraph from injected dependencies; it never listens (index.ts does). */
export function createServer(deps: UsersDeps & ServerDeps) {
  return createSubgraphServer({ name, typeDefs, resolvers, ...deps, context: createContextFactory(deps) });
}
