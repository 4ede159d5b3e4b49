import { createSubgraphServer, EVENTS_STATUS_PATH, loadTypeDefs, type ServerDeps } from '@greenpoints/common';
import { merchantsEvents } from '@greenpoints/db/schema/merchants';
import { eventsStatusRoute } from '@greenpoints/events';
import { createContextFactory, type MerchantsDeps } from './context.ts';
import { createLedgerBalances } from './ledgerBalances.ts';
import { resolvers } from './resolvers/index.ts';

export const name = 'merchants';
export const typeDefs = loadTypeDefs(new URL('./schema.graphql', import.meta.url));
export { resolvers };

/** Builds the merchants subgraph from injected dependencies; it never listens (index.ts does). */
export function createServer(deps: MerchantsDeps & ServerDeps) {
  const ledger = createLedgerBalances({ url: deps.ledgerUrl ?? (() => undefined), signingSecret: deps.signingSecret });
  return createSubgraphServer({
    name,
    typeDefs,
    resolvers,
    ...deps,
    context: createContextFactory(deps, ledger),
    routes: { [EVENTS_STATUS_PATH]: eventsStatusRoute(deps.db, { stream: 'merchants', tables: merchantsEvents }) },
  });
}
