import { z } from 'zod';
import { DEV_SIGNING_SECRET } from './secrets.ts';

/** Settings every subgraph shares; each service's config.ts extends this and is the only reader of env. */
export function subgraphConfigSchema(defaultPort: number) {
  return z.object({
    PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
    HOST: z.string().default('127.0.0.1'),
    SUBGRAPH_SIGNING_SECRET: z.string().min(16).default(DEV_SIGNING_SECRET),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  });
}
