import { z } from 'zod';
import { contract, count, id, instant } from './common.ts';

const status = z.enum(['ACTIVE', 'SUSPENDED', 'CLOSED']);
const byMerchant = (p: { merchantId: string }) => `merchant:${p.merchantId}`;
const productCategory = z.string().min(1).max(40);

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
    // Optional, so versions published before they existed still validate: no overrides, 365 days.
    /** Points per yuan for products of a category instead of pointsPerYuan. */
    categoryOverrides: z.array(z.strictObject({ category: productCategory, pointsPerYuan: count })).max(50).optional(),
    /** Days the points this version issues stay valid. */
    pointsValidDays: z.number().int().min(1).max(3650).optional(),
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
    category: productCategory,
  }),
  aggregate: byMerchant,
});
