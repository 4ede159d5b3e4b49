import type { Database } from '@greenpoints/db';
import { households as householdsTable, users as usersTable, usersOutbox } from '@greenpoints/db/schema/users';
import { outboxRow } from '@greenpoints/events';
import { eq } from 'drizzle-orm';
import { insertAll } from './bulk.ts';
import type { SeedHousehold, SeedUser } from './people.ts';

/** Consecutive users, cut only between households, so a household is written whole in one batch. */
export function peopleBatches(users: SeedUser[], usersPerBatch: number): SeedUser[][] {
  const batches: SeedUser[][] = [];
  let from = 0;
  while (from < users.length) {
    let to = Math.min(users.length, from + Math.max(1, usersPerBatch));
    while (to < users.length && users[to]!.householdId !== null && users[to]!.householdId === users[to - 1]!.householdId) to++;
    batches.push(users.slice(from, to));
    from = to;
  }
  return batches;
}

/**
 * One batch of people, as the users subgraph's operations leave them (registerUser, createHousehold,
 * joinHousehold): the rows and the same events in the same order, each checked against its contract,
 * written in a few multi-row statements. Returns false when the batch is already there (a seed
 * resumed after an interruption): a batch commits whole, so its first user tells.
 */
export async function writePeopleBatch(db: Database, batch: SeedUser[], households: Map<string, SeedHousehold>): Promise<boolean> {
  const first = batch[0];
  if (!first) return false;
  return db.transaction(async (tx) => {
    const [done] = await tx.select({ id: usersTable.id }).from(usersTable).where(eq(usersTable.id, first.id));
    if (done) return false;
    const owned = [...new Set(batch.map((u) => u.householdId).filter((id) => id !== null))].map((id) => households.get(id)!);
    await insertAll(tx, householdsTable, owned.map(({ id, name, ownerId, maxMembers, createdAt }) => ({ id, name, ownerId, maxMembers, createdAt })));
    await insertAll(
      tx,
      usersTable,
      batch.map((u) => ({ id: u.id, displayName: u.displayName, phoneEncrypted: u.phoneEncrypted, phoneHash: u.phoneHash, ageBand: u.ageBand, householdId: u.householdId, registeredAt: u.registeredAt })),
    );
    const events = batch.map((u) =>
      outboxRow(usersOutbox, 'UserRegistered', { userId: u.id, status: 'ACTIVE', registeredAt: u.registeredAt.toISOString(), ageBand: u.ageBand as '18_59' }, u.registeredAt),
    );
    for (const h of owned) {
      events.push(outboxRow(usersOutbox, 'HouseholdCreated', { householdId: h.id, ownerId: h.ownerId, maxMembers: h.maxMembers }, h.createdAt));
      // The owner joins first (createHousehold), then the others in the order they were generated.
      const members = [h.ownerId, ...batch.filter((u) => u.householdId === h.id && u.id !== h.ownerId).map((u) => u.id)];
      for (const userId of members) events.push(outboxRow(usersOutbox, 'HouseholdMemberJoined', { householdId: h.id, userId }, h.createdAt));
    }
    await insertAll(tx, usersOutbox, events);
    return true;
  });
}
