import { subgraphConfigSchema } from '@greenpoints/common';
import { eventsConfigShape } from '@greenpoints/events';
import type { z } from 'zod';

// Consumes events, so event delivery settings (NATS_URL, retries, batch sizes) are read here too.
const schema = subgraphConfigSchema(4004).extend(eventsConfigShape);

export type GreenConfig = z.infer<typeof schema>;
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): GreenConfig => schema.parse(env);
