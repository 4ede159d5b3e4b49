import type { Executor } from '@greenpoints/db';
import type { EventTables } from '@greenpoints/db/schema/outbox';
import { z } from 'zod';
import { STREAMS } from './contracts/index.ts';

/**
 * What travels from a publisher's outbox to a consumer's inbox (as a row copy in Postgres, as the
 * message body on JetStream). The payload is checked against its contract when applied.
 */
export const envelopeSchema = z.strictObject({
  eventId: z.uuid(),
  stream: z.enum(STREAMS),
  position: z.number().int().positive(),
  type: z.string().min(1).max(100),
  version: z.number().int().positive(),
  aggregate: z.string().max(200),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.unknown(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

type OutboxRow = EventTables['outbox']['$inferSelect'];

export const envelopeOf = (stream: Envelope['stream'], row: OutboxRow): Envelope => ({
  eventId: row.eventId,
  stream,
  position: row.position,
  type: row.type,
  version: row.version,
  aggregate: row.aggregate,
  occurredAt: row.occurredAt.toISOString(),
  payload: row.payload,
});

/** Adds events to a consumer's inbox; an event already there (a redelivery) is ignored. */
export async function enqueue(tx: Executor, inbox: EventTables['inbox'], envelopes: Envelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  await tx
    .insert(inbox)
    .values(
      envelopes.map((e) => ({
        stream: e.stream,
        position: e.position,
        eventId: e.eventId,
        type: e.type,
        version: e.version,
        aggregate: e.aggregate,
        payload: e.payload,
        occurredAt: new Date(e.occurredAt),
      })),
    )
    .onConflictDoNothing();
}
