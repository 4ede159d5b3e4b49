import { subgraphConfigSchema } from '@greenpoints/common';
import type { z } from 'zod';

const schema = subgraphConfigSchema(4002);

export type MerchantsConfig = z.infer<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): MerchantsConfig => schema.parse(env);
