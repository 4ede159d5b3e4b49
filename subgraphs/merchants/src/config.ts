import { z } from 'zod';
import { loadSubgraphConfig, subgraphConfigSchema } from '@greenpoints/common';

const schema = subgraphConfigSchema(4002).extend({
  /** The ledger subgraph, asked for the caller's balance by the catalogue's affordableForMe (signed, as a service). */
  LEDGER_URL: z.string().url().default('http://127.0.0.1:4003/graphql'),
});

export const loadConfig = (env: NodeJS.ProcessEnv = process.env) => loadSubgraphConfig(schema, env);
export type MerchantsConfig = ReturnType<typeof loadConfig>;
