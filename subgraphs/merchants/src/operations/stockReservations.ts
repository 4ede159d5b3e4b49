import type { Executor } from '@greenpoints/db';
import { merchants, rewards, stockReservations } from '@greenpoints/db/schema/merchants';
import { and, eq, gte, isNull, or, sql } from 'drizzle-orm';
import { merchantsError } from '../errors.ts';

export type StockReservationRow = typeof stockReservations.$inferSelect;
export const MAX_RESERVATION_QUANTITY = 100;

/**
 * Takes `quantity` out of a reward's stock for one redemption, once: the redemption id is the
 * reservation's primary key, so a retry (even a concurrent one, which waits on the first insert)
 * returns the first reservation. The stock decrement is a single conditional UPDATE
 * (`stock >= quantity`) on the locked reward row, so concurrent reservations never oversell: the
 * last ones find too little and fail with OUT_OF_STOCK, writing nothing. Unlimited stock (null)
 * never runs out and stays null (null − n is null). Locks are taken in one order everywhere —
 * reservation, then reward.
 */
export async function reserveStock(db: Executor, rewardId: string, quantity: number, redemptionId: string, now: Date): Promise<StockReservationRow> {
  return db.transaction(async (tx) => {
    const replay = async () => {
      const [first] = await tx.select().from(stockReservations).where(eq(stockReservations.redemptionId, redemptionId));
      if (!first) return undefined;
      if (first.rewardId !== rewardId || first.quantity !== quantity) {
        throw merchantsError('IDEMPOTENCY_CONFLICT', 'This redemption id already reserved other stock', { argument: 'redemptionId' });
      }
      return first;
    };
    // A retry returns the first reservation even if the reward has since expired or sold out.
    const earlier = await replay();
    if (earlier) return earlier;
    const [reward] = await tx
      .select({ status: merchants.status, validFrom: rewards.validFrom, validUntil: rewards.validUntil })
      .from(rewards)
      .innerJoin(merchants, eq(merchants.id, rewards.merchantId))
      .where(eq(rewards.id, rewardId));
    if (!reward) throw merchantsError('NOT_FOUND', 'No such reward', { argument: 'rewardId' });
    if (reward.status !== 'ACTIVE') throw merchantsError('MERCHANT_NOT_ACTIVE', "The reward's merchant is not active");
    if (reward.validFrom > now || (reward.validUntil !== null && reward.validUntil <= now)) {
      throw merchantsError('REWARD_NOT_AVAILABLE', 'The reward is outside its validity');
    }
    // A concurrent first attempt with the same id makes this insert wait for it, then do nothing.
    const [claimed] = await tx.insert(stockReservations).values({ redemptionId, rewardId, quantity }).onConflictDoNothing().returning();
    if (!claimed) {
      const first = await replay();
      if (first) return first;
      throw new Error('a conflicting reservation vanished');
    }
    const taken = await tx
      .update(rewards)
      .set({ stock: sql`${rewards.stock} - ${quantity}` })
      .where(and(eq(rewards.id, rewardId), or(isNull(rewards.stock), gte(rewards.stock, quantity))))
      .returning({ stock: rewards.stock });
    if (taken.length === 0) throw merchantsError('OUT_OF_STOCK', 'Not enough stock left', { argument: 'quantity' });
    return claimed;
  });
}

/**
 * Moves a reservation from RESERVED to `to`; a repeat returns it unchanged. RELEASED puts the stock
 * back; CONFIRMED counts one more redemption of the reward (the catalogue's popularity), in the
 * same transaction, so the count is exactly the confirmed reservations.
 */
async function settle(db: Executor, redemptionId: string, to: 'RELEASED' | 'CONFIRMED'): Promise<StockReservationRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(stockReservations).where(eq(stockReservations.redemptionId, redemptionId)).for('update');
    if (!row) throw merchantsError('NOT_FOUND', 'No reservation for this redemption', { argument: 'redemptionId' });
    if (row.status === to) return row;
    if (row.status !== 'RESERVED') throw merchantsError('RESERVATION_CLOSED', `The reservation is already ${row.status}`, { argument: 'redemptionId' });
    const change = to === 'RELEASED' ? { stock: sql`${rewards.stock} + ${row.quantity}` } : { confirmedRedemptions: sql`${rewards.confirmedRedemptions} + 1` };
    await tx.update(rewards).set(change).where(eq(rewards.id, row.rewardId));
    const [updated] = await tx
      .update(stockReservations)
      .set({ status: to, updatedAt: new Date() })
      .where(eq(stockReservations.redemptionId, redemptionId))
      .returning();
    return updated!;
  });
}

export const releaseStock = (db: Executor, redemptionId: string) => settle(db, redemptionId, 'RELEASED');
export const confirmStock = (db: Executor, redemptionId: string) => settle(db, redemptionId, 'CONFIRMED');
