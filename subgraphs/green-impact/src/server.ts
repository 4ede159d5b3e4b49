import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createSubgraphServer, type Logger } from '@greenpoints/common';
import { parse } from 'graphql';
import { createContextFactory, type GreenDeps } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const name = 'green-impact';
export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));
export { resolvers };

export interface GreenServerDeps extends GreenDeps {
  logger: Logger;
  signingSecret: string;
}

/** Builds the green-impact subgraph from injected dependencies; it never listens (index.ts does). */
export function createServer(deps: GreenServerDeps) {
  return createSubgraphServer({
    name,
    schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }),
    logger: deps.logger,
    signingSecret: deps.signingSecret,
    context: createContextFactory(deps),
  });
}
