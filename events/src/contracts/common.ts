import { z } from 'zod';

/** The publishing subgraphs: each has one outbox and, with NATS, one JetStream stream. */
export const STREAMS = ['users', 'merchants', 'ledger', 'green-impact'] as const;
export type StreamName = (typeof STREAMS)[number];

/**
 * One event contract: a type, its current version and the zod schema of each version. Payloads are
 * validated when published and again when consumed, so a producer bug never becomes a consumer bug.
 */
export interface EventContract<S extends z.ZodType = z.ZodType> {
  type: string;
  stream: StreamName;
  version: number;
  schema: S;
  /** Events with the same aggregate are delivered in the order they were published. */
  aggregate(payload: z.infer<S>): string;
  /**
   * Fields that describe the person of a `user:` aggregate. Deleting the account erases them from
   * every stored copy of the event (events/src/erasure.ts), so the payload must validate without them.
   */
  personal?: readonly string[];
}

export const contract = <S extends z.ZodType>(c: EventContract<S>): EventContract<S> => c;

export const id = z.uuid();
/** ISO-8601 timestamps with an offset: what `Date.prototype.toISOString` writes. */
export const instant = z.iso.datetime({ offset: true });
export const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/**
 * The age band is the one personal attribute that travels, coarse by design (no birth date exists
 * anywhere): promotions may be for an age band (the railway's ×15 for riders over 60), and the
 * ledger that applies them must know it.
 */
export const ageBand = z.enum(['UNDER_18', '18_59', '60_PLUS']);

/** Which Postgres schema holds each stream's outbox (green-impact's schema is `green`). */
export const SCHEMA_OF_STREAM: Record<StreamName, string> = {
  users: 'users',
  merchants: 'merchants',
  ledger: 'ledger',
  'green-impact': 'green',
};
