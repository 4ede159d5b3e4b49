import { loadSubgraphConfig, subgraphConfigSchema } from '@greenpoints/common';

const schema = subgraphConfigSchema(4004);

export const loadConfig = (env: NodeJS.ProcessEnv = process.env) => loadSubgraphConfig(schema, env);
export type GreenConfig = ReturnType<typeof loadConfig>;
