import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { outboxTables } from './outbox.ts';

export const ledgerSchema = pgSchema('ledger');

/**
 * One account per (kind, owner, asset). `balance` is a cache of the sum of the account's postings,
 * updated under `SELECT … FOR UPDATE` in the transaction that appends them; `verify` recomputes it.
 */
export const accounts = ledgerSchema.table(
  'accounts',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    ownerId: text('owner_id').notNull(),
    asset: text('asset').notNull(),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('accounts_kind_owner_asset_key').on(t.kind, t.ownerId, t.asset),
    check('accounts_asset_check', sql`${t.asset} IN ('POINTS', 'GREEN_POINTS')`),
  ],
);

/** A transaction is a set of postings that sum to zero per asset. Rows are never updated. */
export const transactions = ledgerSchema.table(
  'transactions',
  {
    id: uuid('id').primaryKey(),
    type: text('type').notNull(),
    /** The client's idempotency key, scoped by operation and caller so two clients never collide. */
    idempotencyKey: text('idempotency_key').notNull(),
    userId: uuid('user_id'),
    merchantId: uuid('merchant_id'),
    description: text('description').notNull(),
    metadata: jsonb('metadata').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('transactions_idempotency_key').on(t.idempotencyKey),
    index('transactions_user_created_idx').on(t.userId, t.createdAt, t.id),
  ],
);

export const postings = ledgerSchema.table(
  'postings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => transactions.id, { onDelete: 'restrict' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'restrict' }),
    asset: text('asset').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('postings_transaction_idx').on(t.transactionId),
    index('postings_account_idx').on(t.accountId),
    check('postings_amount_nonzero_check', sql`${t.amount} <> 0`),
  ],
);

/** Each credit to a user is a lot: spendable from `availableAt`, gone at `expiresAt`, spent first-expiring-first. */
export const lots = ledgerSchema.table(
  'lots',
  {
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'restrict' }),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => transactions.id, { onDelete: 'restrict' }),
    asset: text('asset').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    remaining: bigint('remaining', { mode: 'number' }).notNull(),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('lots_account_expiry_idx').on(t.accountId, t.expiresAt),
    check('lots_remaining_check', sql`${t.remaining} >= 0 AND ${t.remaining} <= ${t.amount}`),
  ],
);

export const purchases = ledgerSchema.table(
  'purchases',
  {
    id: uuid('id').primaryKey(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => transactions.id, { onDelete: 'restrict' }),
    userId: uuid('user_id').notNull(),
    merchantId: uuid('merchant_id').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    earnRuleVersion: integer('earn_rule_version').notNull(),
    /** The promotions that added points to this purchase (with earnRuleVersion: what produced its points). */
    promotionIds: uuid('promotion_ids').array().notNull().default(sql`'{}'::uuid[]`),
    tier: text('tier').notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
    greenPoints: bigint('green_points', { mode: 'number' }).notNull(),
    status: text('status').notNull().default('RECORDED'),
    /** A hash of the request, so a retry with the same key but a different body is refused. */
    requestHash: text('request_hash').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('purchases_user_occurred_idx').on(t.userId, t.occurredAt),
    check('purchases_amount_check', sql`${t.amountMinor} > 0`),
  ],
);

export const purchaseLines = ledgerSchema.table(
  'purchase_lines',
  {
    purchaseId: uuid('purchase_id')
      .notNull()
      .references(() => purchases.id, { onDelete: 'restrict' }),
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: bigint('unit_price_minor', { mode: 'number' }).notNull(),
    greenPoints: bigint('green_points', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'purchase_lines_pk', columns: [t.purchaseId, t.lineNo] })],
);

/** Read model of the merchants' published earn rules, kept from their events. */
export const earnRuleCopies = ledgerSchema.table(
  'earn_rules',
  {
    merchantId: uuid('merchant_id').notNull(),
    version: integer('version').notNull(),
    pointsPerYuan: integer('points_per_yuan').notNull(),
    pendingDays: integer('pending_days').notNull(),
    perOrderCap: integer('per_order_cap'),
    /** Points per yuan by product category, overriding pointsPerYuan for lines of that category. */
    categoryPointsPerYuan: jsonb('category_points_per_yuan').$type<Record<string, number>>().notNull().default({}),
    /** How long the lots this version issues stay valid; 365 for versions published before the term existed. */
    pointsValidDays: integer('points_valid_days').notNull().default(365),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'earn_rules_pk', columns: [t.merchantId, t.version] })],
);

/** Read model of the merchants' published promotions (immutable once published). */
export const promotionCopies = ledgerSchema.table(
  'promotions',
  {
    promotionId: uuid('promotion_id').primaryKey(),
    merchantId: uuid('merchant_id').notNull(),
    multiplierPercent: integer('multiplier_percent').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** Eligibility; an empty list means anyone. */
    tiers: text('tiers').array().notNull(),
    ageBands: text('age_bands').array().notNull(),
    productCategories: text('product_categories').array().notNull(),
    stackable: boolean('stackable').notNull(),
    budgetPoints: bigint('budget_points', { mode: 'number' }).notNull(),
  },
  (t) => [index('promotions_merchant_window_idx').on(t.merchantId, t.startsAt)],
);

/**
 * The ledger's own account of each promotion's budget: bonus points issued under it so far. Not a
 * read model (no event rebuilds it): a purchase locks the row, checks what is left and adds its
 * bonus in its own transaction, and the CHECK makes overdrawing impossible even for a bug.
 */
export const promotionBudgets = ledgerSchema.table(
  'promotion_budgets',
  {
    promotionId: uuid('promotion_id').primaryKey(),
    budgetPoints: bigint('budget_points', { mode: 'number' }).notNull(),
    usedPoints: bigint('used_points', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('promotion_budgets_used_check', sql`${t.usedPoints} >= 0 AND ${t.usedPoints} <= ${t.budgetPoints}`)],
);

/**
 * Read model of green-impact's published green profiles: green points per unit by profile version,
 * so a purchase earns by the version in force when it happened.
 */
export const greenSkuVersions = ledgerSchema.table(
  'green_sku_versions',
  {
    sku: text('sku').notNull(),
    version: integer('version').notNull(),
    greenPointsPerUnit: integer('green_points_per_unit').notNull(),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'green_sku_versions_pk', columns: [t.sku, t.version] })],
);

/** Read model of users, kept from the users subgraph's events: who exists, their status and household. */
export const userCopies = ledgerSchema.table('user_copies', {
  userId: uuid('user_id').primaryKey(),
  status: text('status').notNull(),
  householdId: uuid('household_id'),
  /** UNDER_18, 18_59 or 60_PLUS (for promotions by age band); null when not known or erased. */
  ageBand: text('age_band'),
  /** The users outbox position last applied; an older event never overwrites a newer one. */
  position: bigint('position', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('user_copies_household_idx').on(t.householdId)]);

/** Read model of merchants, kept from the merchants subgraph's events. */
export const merchantCopies = ledgerSchema.table('merchant_copies', {
  merchantId: uuid('merchant_id').primaryKey(),
  status: text('status').notNull(),
  settlementMinorPer100Points: integer('settlement_minor_per_100_points').notNull(),
  /** Its category (MerchantRegistered, MerchantProfileUpdated), for analytics by category; null if not known. */
  category: text('category'),
  position: bigint('position', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Read model of the merchants' products: which SKUs are whose, and their category (for category rates). */
export const productCopies = ledgerSchema.table('product_copies', {
  sku: text('sku').primaryKey(),
  merchantId: uuid('merchant_id').notNull(),
  priceMinor: integer('price_minor').notNull(),
  /** Null only for rows copied before the category was kept; a replay of ProductListed fills it. */
  category: text('category'),
});

export const ledgerEvents = outboxTables(ledgerSchema);
export const { outbox: ledgerOutbox, inbox: ledgerInbox, processedEvents: ledgerProcessedEvents, deadLetters: ledgerDeadLetters } = ledgerEvents;

