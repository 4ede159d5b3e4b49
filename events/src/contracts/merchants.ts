import { z } from 'zod';
import { contract, count, id, instant } from './common.ts';

const status = z.enum(['ACTIVE', 'SUSPENDED', 'CLOSED']);
const byMerchant = (p: { merchantId: string }) => `merchant:${p.merchantId}`;

export const MerchantRegistered = contract({
  type: 'MerchantRegistered',
  stream: 'merchants',
  version: 1,
  schema: z.strictObject({
    merchantId: id,
    name: z.string().min(1).max(200),
    category: z.string().min(1).max(40),
    status,
    settlementMinorPer100Points: count,
  }),
  aggregate: byMerchant,
});

export const MerchantStatusChanged = contract({
  type: 'MerchantStatusChanged',
  stream: 'merchants',
  version: 1,
  schema: z.strictObject({ merchantId: id, status, previousStatus: status }),
  aggregate: byMerchant,
});

/** A merchant's public profile after an edit (name, category): whole, so a consumer needs no earlier event. */
export const MerchantProfileUpdated = contract({
  type: 'MerchantProfileUpdated',
  stream: 'merchants',
  version: 1,
  schema: z.strictObject({
    merchantId: id,
    name: z.string().min(1).max(200),
    category: z.string().min(1).max(40),
  }),
  aggregate: byMerchant,
});

export const EarnRulePublished = contract({
  type: 'EarnRulePublished',
  stream: 'merchants',
  version: 1,
  schema: z.strictObject({
    merchantId: id,
    version: z.number().int().positive(),
    pointsPerYuan: count,
    pendingDays: z.number().int().min(0).max(365),
    perOrderCap: count.nullable(),
    effectiveFrom: instant,
  }),
  aggregate: byMerchant,
});

export const ProductListed = contract({
  type: 'ProductListed',
  stream: 'merchants',
  version: 1,
  schema: z.strictObject({
    sku: z.string().min(1).max(64),
    merchantId: id,
    name: z.string().min(1).max(200),
    priceMinor: count,
    category: z.string().min(1).max(40),
  }),
  aggregate: byMerchant,
});
