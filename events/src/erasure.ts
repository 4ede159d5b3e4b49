import type { Executor } from '@greenpoints/db';
import type { EventTables } from '@greenpoints/db/schema/outbox';
import { and, eq, sql, type Column } from 'drizzle-orm';

/**
 * The payload fields that describe a person: the age band is the only one that travels
 * (contracts/common.ts). Every contract that carries one names it in `personal`, and
 * contracts.test.ts checks that each is listed here. The partial indexes `*_personal_idx` of the
 * outbox and inbox tables (db/src/schema/outbox.ts) hold exactly the rows with an age band; a field
 * added here needs its own.
 */
export const PERSONAL_FIELDS = ['ageBand'] as const;

/**
 * Erases a deleted person's personal fields from the event payloads one subgraph keeps in its own
 * schema (outbox, inbox and dead letters), inside the caller's transaction: the users subgraph in
 * the deletion's, a consumer in the one that applies UserDeleted. Rows, ids, positions and statuses
 * stay, so delivery, idempotency and replay go on as before; an event not yet delivered is delivered
 * without the fields, which its contract allows. Returns how many rows were rewritten.
 */
export async function erasePersonalFields(tx: Executor, { outbox, inbox, deadLetters }: EventTables, userId: string): Promise<number> {
  let rewritten = 0;
  for (const field of PERSONAL_FIELDS) {
    // A literal, so the planner matches the partial indexes' `payload ? 'ageBand'`.
    const has = (payload: Column) => sql`${payload} ? ${sql.raw(`'${field}'`)}`;
    const without = (payload: Column) => sql`${payload} - ${sql.raw(`'${field}'`)}::text`;
    const aggregate = `user:${userId}`;
    const a = await tx.update(outbox).set({ payload: without(outbox.payload) }).where(and(eq(outbox.aggregate, aggregate), has(outbox.payload))).returning({ p: outbox.position });
    const b = await tx.update(inbox).set({ payload: without(inbox.payload) }).where(and(eq(inbox.aggregate, aggregate), has(inbox.payload))).returning({ id: inbox.id });
    // Dead letters keep no aggregate; a payload that broke its contract is found by the id it names.
    const c = await tx
      .update(deadLetters)
      .set({ payload: without(deadLetters.payload) })
      .where(and(sql`${deadLetters.payload}->>'userId' = ${userId}`, has(deadLetters.payload)))
      .returning({ id: deadLetters.eventId });
    rewritten += a.length + b.length + c.length;
  }
  return rewritten;
}
