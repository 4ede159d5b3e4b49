import { z } from 'zod';
import { contract, count, id, instant } from './common.ts';

/** The ledger's decision is the single truth: consumers take points and green points from here. */
export const PurchaseRecorded = contract({
  type: 'PurchaseRecorded',
  stream: 'ledger',
  version: 1,
  schema: z.strictObject({
    purchaseId: id,
    userId: id,
    merchantId: id,
    occurredAt: instant,
    amountMinor: count,
    points: count,
    greenPoints: count,
    lines: z
      .array(
        z.strictObject({
          sku: z.string().min(1).max(64),
          quantity: z.number().int().positive().max(10_000),
          unitPriceMinor: count,
          greenPoints: count,
        }),
      )
      .max(200),
  }),
  aggregate: (p) => `user:${p.userId}`,
});

const sku = z.string().min(1).max(64);
const byUser = (p: { userId: string }) => `user:${p.userId}`;

/**
 * A refund of a recorded purchase, full or by lines: `points` and `greenPoints` are what the refund
 * took back in total (voided pending, debited available, and any remainder recorded as points debt).
 * `lines` are the refunded quantities, so green-impact reverses exactly those impact records.
 */
export const PurchaseRefunded = contract({
  type: 'PurchaseRefunded',
  stream: 'ledger',
  version: 1,
  schema: z.strictObject({
    refundId: id,
    purchaseId: id,
    userId: id,
    merchantId: id,
    occurredAt: instant,
    amountMinor: count,
    points: count,
    greenPoints: count,
    full: z.boolean(),
    lines: z.array(z.strictObject({ sku, quantity: z.number().int().positive().max(10_000), greenPoints: count })).max(200),
  }),
  aggregate: byUser,
});

/** A redemption posted: the points left the user's (or the household pool's) account for good. */
export const RedemptionPosted = contract({
  type: 'RedemptionPosted',
  stream: 'ledger',
  version: 1,
  schema: z.strictObject({
    redemptionId: id,
    userId: id,
    merchantId: id,
    rewardId: id,
    quantity: z.number().int().positive().max(100),
    points: count,
    fromHousehold: z.boolean(),
    occurredAt: instant,
  }),
  aggregate: byUser,
});

/** A posted redemption cancelled: its points came back, plus `compensationPoints` from the merchant. */
export const RedemptionCancelled = contract({
  type: 'RedemptionCancelled',
  stream: 'ledger',
  version: 1,
  schema: z.strictObject({
    redemptionId: id,
    userId: id,
    merchantId: id,
    points: count,
    compensationPoints: count,
    reason: z.string().min(1).max(500),
    occurredAt: instant,
  }),
  aggregate: byUser,
});

/** Lots of one account that lapsed at `asOf` moved to breakage. */
export const PointsExpired = contract({
  type: 'PointsExpired',
  stream: 'ledger',
  version: 1,
  schema: z.strictObject({
    userId: id.nullable(),
    householdId: id.nullable(),
    asset: z.enum(['POINTS', 'GREEN_POINTS']),
    points: count,
    asOf: instant,
  }),
  aggregate: (p) => (p.userId ? `user:${p.userId}` : `household:${p.householdId}`),
});

/** An account frozen (or unfrozen) under a fraud case: no redeeming or transfers while frozen. */
export const AccountFrozen = contract({
  type: 'AccountFrozen',
  stream: 'ledger',
  version: 1,
  schema: z.strictObject({ userId: id, caseId: id, frozen: z.boolean(), occurredAt: instant }),
  aggregate: byUser,
});

/**
 * The ledger's answer to a GreenActivityRecorded: green points issued from the organiser's funded
 * green budget (CREDITED), or not (REFUSED, with the reason: budget exhausted, user not active…).
 */
export const GreenActivityCredited = contract({
  type: 'GreenActivityCredited',
  stream: 'ledger',
  version: 1,
  schema: z.strictObject({
    activityId: id,
    userId: id,
    status: z.enum(['CREDITED', 'REFUSED']),
    greenPoints: count,
    reason: z.string().max(200).nullable(),
    occurredAt: instant,
  }),
  aggregate: byUser,
});
