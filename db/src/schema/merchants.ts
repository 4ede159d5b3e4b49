import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgSchema, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { outboxTables } from './outbox.ts';

export const merchantsSchema = pgSchema('merchants');

export const merchants = merchantsSchema.table('merchants', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  category: text('category').notNull(),
  status: text('status').notNull().default('ACTIVE'),
  /** What the merchant settles per 100 points, in fen: integers only, so 50 means ¥0.005 a point. */
  settlementMinorPer100Points: integer('settlement_minor_per_100_points').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('merchants_category_idx').on(t.category, t.id)]);

export const products = merchantsSchema.table(
  'products',
  {
    sku: text('sku').primaryKey(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    priceMinor: integer('price_minor').notNull(),
    category: text('category').notNull(),
  },
  (t) => [index('products_merchant_idx').on(t.merchantId), check('products_price_check', sql`${t.priceMinor} >= 0`)],
);

export const rewards = merchantsSchema.table(
  'rewards',
  {
    id: uuid('id').primaryKey(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    title: text('title').notNull(),
    kind: text('kind').notNull(),
    pointsCost: integer('points_cost').notNull(),
    salePointsCost: integer('sale_points_cost'),
    saleStartsAt: timestamp('sale_starts_at', { withTimezone: true }),
    saleEndsAt: timestamp('sale_ends_at', { withTimezone: true }),
    /** Items left; null for unlimited stock (a digital voucher, a service), which never runs out. */
    stock: integer('stock'),
    /** Redemptions confirmed so far (confirmStock), the catalogue's popularity order. */
    confirmedRedemptions: integer('confirmed_redemptions').notNull().default(0),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validUntil: timestamp('valid_until', { withTimezone: true }),
    terms: text('terms').notNull(),
    /** Raised by one each time what a member agrees to changes (title, kind, terms, validity): a redemption names the version the member read. */
    termsVersion: integer('terms_version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('rewards_merchant_idx').on(t.merchantId),
    index('rewards_catalog_idx').on(t.pointsCost, t.id),
    index('rewards_popularity_idx').on(t.confirmedRedemptions, t.id),
    check('rewards_kind_check', sql`${t.kind} IN ('GOODS', 'SERVICE', 'VOUCHER', 'TICKET')`),
    check('rewards_points_cost_check', sql`${t.pointsCost} > 0`),
    check('rewards_stock_check', sql`${t.stock} IS NULL OR ${t.stock} >= 0`),
    check('rewards_confirmed_redemptions_check', sql`${t.confirmedRedemptions} >= 0`),
  ],
);

/** Earn rules are versioned and published before they take effect; a version is never edited. */
export const earnRules = merchantsSchema.table(
  'earn_rules',
  {
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    version: integer('version').notNull(),
    pointsPerYuan: integer('points_per_yuan').notNull(),
    pendingDays: integer('pending_days').notNull(),
    perOrderCap: integer('per_order_cap'),
    /** Points per yuan for products of a category instead of pointsPerYuan: `{ "FRESH_FRUIT": 3 }`. */
    categoryPointsPerYuan: jsonb('category_points_per_yuan').$type<Record<string, number>>().notNull().default({}),
    /** Days the points this version issues stay valid (disclosed when earned, never shortened). */
    pointsValidDays: integer('points_valid_days').notNull().default(365),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('earn_rules_merchant_version_key').on(t.merchantId, t.version),
    // Published before it applies: members always know a rule before a purchase earns by it.
    check('earn_rules_effective_after_published_check', sql`${t.effectiveFrom} >= ${t.publishedAt}`),
    check('earn_rules_pending_days_check', sql`${t.pendingDays} BETWEEN 0 AND 365`),
    check('earn_rules_points_per_yuan_check', sql`${t.pointsPerYuan} >= 0`),
    check('earn_rules_per_order_cap_check', sql`${t.perOrderCap} IS NULL OR ${t.perOrderCap} > 0`),
    check('earn_rules_category_rates_check', sql`jsonb_typeof(${t.categoryPointsPerYuan}) = 'object'`),
    check('earn_rules_points_valid_days_check', sql`${t.pointsValidDays} BETWEEN 90 AND 1830`),
  ],
);

/**
 * Promotions: a multiplier of the points earned at the merchant inside a window, for whom they name
 * (empty lists: anyone), within a budget of bonus points (the ledger counts what is used). Published
 * before they start and never edited, like earn rules.
 */
export const promotions = merchantsSchema.table(
  'promotions',
  {
    id: uuid('id').primaryKey(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'restrict' }),
    title: text('title').notNull(),
    /** 200 = double points. */
    multiplierPercent: integer('multiplier_percent').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    tiers: text('tiers').array().notNull().default(sql`'{}'::text[]`),
    ageBands: text('age_bands').array().notNull().default(sql`'{}'::text[]`),
    productCategories: text('product_categories').array().notNull().default(sql`'{}'::text[]`),
    stackable: boolean('stackable').notNull().default(false),
    budgetPoints: integer('budget_points').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('promotions_merchant_ends_idx').on(t.merchantId, t.endsAt),
    index('promotions_ends_idx').on(t.endsAt),
    // Published before it starts: members know a promotion before a purchase earns by it.
    check('promotions_starts_after_published_check', sql`${t.startsAt} >= ${t.publishedAt}`),
    check('promotions_window_check', sql`${t.endsAt} > ${t.startsAt} AND ${t.endsAt} <= ${t.startsAt} + interval '366 days'`),
    check('promotions_multiplier_check', sql`${t.multiplierPercent} BETWEEN 101 AND 2000`),
    check('promotions_budget_check', sql`${t.budgetPoints} > 0`),
    check('promotions_tiers_check', sql`${t.tiers} <@ ARRAY['SEED', 'SPROUT', 'TREE', 'FOREST']::text[]`),
    check('promotions_age_bands_check', sql`${t.ageBands} <@ ARRAY['UNDER_18', '18_59', '60_PLUS']::text[]`),
  ],
);

/**
 * Stock held for a redemption, one row per redemption id (so every call is idempotent by it):
 * RESERVED takes the quantity out of the reward's stock, RELEASED puts it back, CONFIRMED keeps it.
 */
export const stockReservations = merchantsSchema.table(
  'stock_reservations',
  {
    redemptionId: uuid('redemption_id').primaryKey(),
    rewardId: uuid('reward_id')
      .notNull()
      .references(() => rewards.id, { onDelete: 'restrict' }),
    quantity: integer('quantity').notNull(),
    status: text('status').notNull().default('RESERVED'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('stock_reservations_reward_idx').on(t.rewardId),
    check('stock_reservations_quantity_check', sql`${t.quantity} BETWEEN 1 AND 100`),
    check('stock_reservations_status_check', sql`${t.status} IN ('RESERVED', 'RELEASED', 'CONFIRMED')`),
  ],
);

export const merchantsEvents = outboxTables(merchantsSchema);
export const { outbox: merchantsOutbox, inbox: merchantsInbox, processedEvents: merchantsProcessedEvents, deadLetters: merchantsDeadLetters } = merchantsEvents;
