import { createSubgraphServer, EVENTS_STATUS_PATH, loadTypeDefs, type ServerDeps } from '@greenpoints/common';
import { usersEvents } from '@greenpoints/db/schema/users';
import { eventsStatusRoute } from '@greenpoints/events';
import { createContextFactory, type UsersDeps } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const name = 'users';
export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));
export { resolvers };

/** Builds the users subgraph from injected dependencies; it never listens (index.ts does). */
export function createServer(deps: UsersDeps & ServerDeps) {
  return createSubgraphServer({
    name,
    typeDefs,
    resolvers,
    ...deps,
    context: createContextFactory(deps),
    routes: { [EVENTS_STATUS_PATH]: eventsStatusRoute(deps.db, { stream: 'users', tables: usersEvents }) },
  });
}
