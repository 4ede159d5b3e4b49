import { DEV_PII_KEY, subgraphConfigSchema } from '@greenpoints/common';
import { z } from 'zod';

const schema = subgraphConfigSchema(4001).extend({
  /** Encrypts personal fields (phone) at rest. */
  PII_KEY: z.string().min(16).default(DEV_PII_KEY),
});

export type UsersConfig = z.infer<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): UsersConfig => schema.parse(env);
