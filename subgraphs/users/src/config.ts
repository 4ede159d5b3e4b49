import { loadSubgraphConfig, subgraphConfigSchema } from '@greenpoints/common';

const schema = subgraphConfigSchema(4001);

/** PII_KEY encrypts personal fields (phone) at rest; required in production like the signing secret. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env) => loadSubgraphConfig(schema, env, ['PII_KEY']);
export type UsersConfig = ReturnType<typeof loadConfig>;
