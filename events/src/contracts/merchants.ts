import { z } from 'zod';
import { ageBand, contract, count, id, instant } from './common.ts';

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

/**
 * A promotion, published before it starts and never edited: a multiplier of the points earned at
 * the merchant inside its window, for whom it names (empty lists: anyone), within a budget of bonus
 * points. Stackable promotions multiply together; a non-stackable one applies alone.
 */
export const PromotionPublished = contract({
  type: 'PromotionPublished',
  stream: 'merchants',
  version: 1,
  schema: z
    .strictObject({
      promotionId: id,
      merchantId: id,
      multiplierPercent: z.number().int().min(101).max(2_000),
      startsAt: instant,
      endsAt: instant,
      tiers: z.array(z.enum(['SEED', 'SPROUT', 'TREE', 'FOREST'])).max(4),
      ageBands: z.array(ageBand).max(3),
      productCategories: z.array(productCategory).max(20),
      stackable: z.boolean(),
      budgetPoints: z.number().int().positive().max(1_000_000_000),
    })
    .refine((p) => Date.parse(p.endsAt) > Date.parse(p.startsAt), { message: 'endsAt must lie after startsAt', path: ['endsAt'] }),
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
