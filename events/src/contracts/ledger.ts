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
