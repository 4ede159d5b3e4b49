import { loadSubgraphConfig, subgraphConfigSchema } from '@greenpoints/common';

const schema = subgraphConfigSchema(4002);

export const loadConfig = (env: NodeJS.ProcessEnv = process.env) => loadSubgraphConfig(schema, env);
export type MerchantsConfig = ReturnType<typeof loadConfig>;
