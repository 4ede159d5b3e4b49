import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createSubgraphServer, type Logger } from '@greenpoints/common';
import { parse } from 'graphql';
import { createContextFactory, type MerchantsDeps } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const name = 'merchants';
export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));
export { resolvers };

export interface MerchantsServerDeps extends MerchantsDeps {
  logger: Logger;
  signingSecret: string;
}

/** Builds the merchants subgraph from injected dependencies; it never listens (index.ts does). */
export function createServer(deps: MerchantsServerDeps) {
  return createSubgraphServer({
    name,
    schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }),
    logger: deps.logger,
    signingSecret: deps.signingSecret,
    context: createContextFactory(deps),
  });
}
