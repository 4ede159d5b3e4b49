import { subgraphConfigSchema } from '@greenpoints/common';
import type { z } from 'zod';

const schema = subgraphConfigSchema(4004);

export type GreenConfig = z.infer<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): GreenConfig => schema.parse(env);
