import { loadSubgraphConfig, subgraphConfigSchema } from '@greenpoints/common';

const schema = subgraphConfigSchema(4003);

export const loadConfig = (env: NodeJS.ProcessEnv = process.env) => loadSubgraphConfig(schema, env);
export type LedgerConfig = ReturnType<typeof loadConfig>;
