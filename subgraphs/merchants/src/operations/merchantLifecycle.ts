import { randomUUID } from 'node:crypto';
import type { Executor } from '@greenpoints/db';
import { merchants, merchantsOutbox } from '@greenpoints/db/schema/merchants';
import { publish } from '@greenpoints/events';
import { eq } from 'drizzle-orm';
import { merchantsError } from '../errors.ts';

export type MerchantStatus = 'ACTIVE' | 'SUSPENDED' | 'CLOSED';

export interface RegisterMerchantInput {
  id?: string;
  name: string;
  category: string;
  settlementMinorPer100Points: number;
  createdAt?: Date;
}

/** Registers a merchant and publishes MerchantRegistered in the same transaction. */
export async function registerMerchant(db: Executor, input: RegisterMerchantInput): Promise<string> {
  const id = input.id ?? randomUUID();
  const createdAt = input.createdAt ?? new Date();
  await db.transaction(async (tx) => {
    await tx.insert(merchants).values({ id, name: input.name, category: input.category, settlementMinorPer100Points: input.settlementMinorPer100Points, createdAt });
    await publish(
      tx,
      merchantsOutbox,
      'MerchantRegistered',
      { merchantId: id, name: input.name, category: input.category, status: 'ACTIVE', settlementMinorPer100Points: input.settlementMinorPer100Points },
      createdAt,
    );
  });
  return id;
}

/** Suspends, closes or reactivates a merchant; the row lock keeps one merchant's events in order. */
export async function changeMerchantStatus(db: Executor, merchantId: string, status: MerchantStatus): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(merchants).where(eq(merchants.id, merchantId)).for('update');
    if (!row) throw merchantsError('NOT_FOUND', 'No such merchant', { merchantId });
    if (row.status === status) return;
    await tx.update(merchants).set({ status }).where(eq(merchants.id, merchantId));
    await publish(tx, merchantsOutbox, 'MerchantStatusChanged', { merchantId, status, previousStatus: row.status as MerchantStatus });
  });
}

export interface MerchantProfile {
  name?: string | undefined;
  category?: string | undefined;
}

/**
 * Edits a merchant's profile and publishes MerchantProfileUpdated (the whole profile after the edit)
 * in the same transaction; the UPDATE's row lock keeps one merchant's events in order. An edit that
 * changes nothing publishes nothing.
 */
export async function updateMerchantProfile(db: Executor, merchantId: string, profile: MerchantProfile, at: Date = new Date()): Promise<void> {
  const changes = Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined));
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(merchants).where(eq(merchants.id, merchantId)).for('update');
    if (!row) throw merchantsError('NOT_FOUND', 'No such merchant', { merchantId });
    if (Object.entries(changes).every(([k, v]) => row[k as keyof typeof row] === v)) return;
    const [updated] = await tx.update(merchants).set(changes).where(eq(merchants.id, merchantId)).returning();
    await publish(tx, merchantsOutbox, 'MerchantProfileUpdated', { merchantId, name: updated!.name, category: updated!.category }, at);
  });
}
