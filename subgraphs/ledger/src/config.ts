import { subgraphConfigSchema } from '@greenpoints/common';
import type { z } from 'zod';

const schema = subgraphConfigSchema(4003);

export type LedgerConfig = z.infer<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): LedgerConfig => schema.parse(env);
