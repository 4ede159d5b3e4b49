import { loadDbConfig, type ConnectOptions } from '@greenpoints/db';
import { z } from 'zod';

/**
 * Event delivery settings. Services that consume events extend their own config schema with this
 * shape (each service's config.ts stays the only reader of its environment); the relay and the
 * `events` command parse it here, in their own config.
 */
export const eventsConfigShape = {
  /** Unset: delivery stays inside Postgres. Set: outboxes relay to NATS JetStream. */
  NATS_URL: z.string().url().optional(),
  /** Names the JetStream streams (`<PREFIX>_USERS`) and subjects (`<prefix>.users.<Type>`): one prefix per deployment. */
  EVENTS_NATS_PREFIX: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,30}$/).default('GP'),
  EVENTS_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** After this many failed attempts an event goes to the dead letters. */
  EVENTS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  EVENTS_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(500),
  EVENTS_RETRY_MAX_MS: z.coerce.number().int().min(1).max(3_600_000).default(60_000),
  EVENTS_POLL_MS: z.coerce.number().int().min(5).max(10_000).default(100),
  /**
   * After a second of finding nothing, relays and consumers poll less and less often, down to once
   * in this long (so the first event after a quiet spell waits at most this long); set it to
   * EVENTS_POLL_MS to poll at the same pace always.
   */
  EVENTS_IDLE_POLL_MAX_MS: z.coerce.number().int().min(5).max(60_000).default(1_000),
  /** Published events and applied inbox rows are pruned after this long. */
  EVENTS_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(168),
};

const schema = z.object({
  ...eventsConfigShape,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface DeliveryOptions {
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  pollMs: number;
  /** The longest pause between polls once idle (never shorter than pollMs). */
  idlePollMaxMs: number;
  retentionMs: number;
  natsUrl?: string | undefined;
  natsPrefix: string;
}

export type EventsEnv = z.infer<z.ZodObject<typeof eventsConfigShape>>;

export function deliveryOptions(env: EventsEnv): DeliveryOptions {
  return {
    batchSize: env.EVENTS_BATCH_SIZE,
    maxAttempts: env.EVENTS_MAX_ATTEMPTS,
    retryBaseMs: env.EVENTS_RETRY_BASE_MS,
    retryMaxMs: Math.max(env.EVENTS_RETRY_BASE_MS, env.EVENTS_RETRY_MAX_MS),
    pollMs: env.EVENTS_POLL_MS,
    idlePollMaxMs: Math.max(env.EVENTS_POLL_MS, env.EVENTS_IDLE_POLL_MAX_MS),
    retentionMs: env.EVENTS_RETENTION_HOURS * 3_600_000,
    natsUrl: env.NATS_URL,
    natsPrefix: env.EVENTS_NATS_PREFIX,
  };
}

/** The defaults, for in-process stacks and tests that pass options explicitly. */
export const DEFAULT_DELIVERY: DeliveryOptions = deliveryOptions(z.object(eventsConfigShape).parse({}));

/** The relay's and the `events` command's own configuration. */
export function loadEventsConfig(env: NodeJS.ProcessEnv = process.env): {
  delivery: DeliveryOptions;
  db: ConnectOptions;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
} {
  const parsed = schema.parse(env);
  const db = loadDbConfig(env);
  return {
    delivery: deliveryOptions(parsed),
    db: { databaseUrl: db.DATABASE_URL, pgliteDataDir: db.PGLITE_DATA_DIR, poolMax: Math.min(db.DB_POOL_MAX, 4) },
    logLevel: parsed.LOG_LEVEL,
  };
}
