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
    /**
     * Points owed after a refund of points already spent (USER accounts only): the balance may sit
     * below the open lots by this much, and later earnings settle it first.
     */
    debt: bigint('debt', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('accounts_kind_owner_asset_key').on(t.kind, t.ownerId, t.asset),
    check('accounts_asset_check', sql`${t.asset} IN ('POINTS', 'GREEN_POINTS')`),
    check('accounts_debt_check', sql`${t.debt} >= 0`),
  ],
);

/**
 * The one operation log: every mutation, whatever it is, takes one row here keyed by (scope, client
 * key) in the same database transaction as its postings, so a retry finds the first result and a
 * different body under the same key is a conflict. Rows are sealed afterwards, in `seq` order, into a
 * hash chain (each `hash` covers the previous one, the entry and the postings it made), so altering
 * posted history is detectable by `ledger:verify`. Sealing after commit keeps the chain off the
 * write path: no mutation waits on the chain's head.
 */
export const operations = ledgerSchema.table(
  'operations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The operation and whose key space it is, e.g. `purchase:<merchantId>`, `redeem:<userId>`. */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    actor: text('actor').notNull(),
    /** What a retry returns: the ids of what the first attempt made; set once, in the same transaction. */
    result: jsonb('result'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    seq: bigint('seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    unique('operations_scope_key').on(t.scope, t.key),
    unique('operations_seq_key').on(t.seq),
    index('operations_unsealed_idx').on(t.id).where(sql`${t.seq} IS NULL`),
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
    /** The other user of a transfer between two members of a household: they see it too. */
    counterpartyId: uuid('counterparty_id'),
    merchantId: uuid('merchant_id'),
    description: text('description').notNull(),
    metadata: jsonb('metadata').notNull().default({}),
    /** The operation-log entry that made this transaction (null only for rows from before the log). */
    operationId: bigint('operation_id', { mode: 'number' }).references(() => operations.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('transactions_idempotency_key').on(t.idempotencyKey),
    index('transactions_user_created_idx').on(t.userId, t.createdAt, t.id),
    index('transactions_operation_idx').on(t.operationId),
    index('transactions_counterparty_created_idx').on(t.counterpartyId, t.createdAt, t.id).where(sql`${t.counterpartyId} IS NOT NULL`),
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

/**
 * What left each lot, and why: every debit of a user's or pool's points goes through one spend
 * routine that takes lots first-expiring-first and writes one row per lot it touched. A reversal
 * (a voided hold, a cancelled redemption) puts the same amounts back from these rows.
 */
export const lotAllocations = ledgerSchema.table(
  'lot_allocations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id, { onDelete: 'restrict' }),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => transactions.id, { onDelete: 'restrict' }),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [
    index('lot_allocations_lot_idx').on(t.lotId),
    index('lot_allocations_transaction_idx').on(t.transactionId),
    check('lot_allocations_amount_check', sql`${t.amount} > 0`),
    check(
      'lot_allocations_reason_check',
      sql`${t.reason} IN ('SPEND', 'HOLD', 'REFUND', 'EXPIRE', 'CLAWBACK', 'DEBT', 'TRANSFER')`,
    ),
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
    /** Fen refunded so far; never more than amountMinor. */
    refundedMinor: bigint('refunded_minor', { mode: 'number' }).notNull().default(0),
    /** A hash of the request, so a retry with the same key but a different body is refused. */
    requestHash: text('request_hash').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('purchases_user_occurred_idx').on(t.userId, t.occurredAt),
    check('purchases_amount_check', sql`${t.amountMinor} > 0`),
    check('purchases_refunded_check', sql`${t.refundedMinor} >= 0 AND ${t.refundedMinor} <= ${t.amountMinor}`),
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
    /** Units refunded so far. */
    refundedQuantity: integer('refunded_quantity').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'purchase_lines_pk', columns: [t.purchaseId, t.lineNo] })],
);

/** A refund of (part of) a purchase: what it took back, and what could not be taken back (debt). */
export const refunds = ledgerSchema.table(
  'refunds',
  {
    id: uuid('id').primaryKey(),
    purchaseId: uuid('purchase_id')
      .notNull()
      .references(() => purchases.id, { onDelete: 'restrict' }),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => transactions.id, { onDelete: 'restrict' }),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
    greenPoints: bigint('green_points', { mode: 'number' }).notNull(),
    /** Points already spent, recorded as the user's debt. */
    debt: bigint('debt', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('refunds_purchase_idx').on(t.purchaseId), check('refunds_amount_check', sql`${t.amountMinor} >= 0`)],
);

/**
 * A redemption: a hold on points (HELD), then stock reserved at the merchants subgraph and the hold
 * posted (POSTED), or the hold voided when stock is gone (VOIDED); a posted one may be CANCELLED.
 * Every status change is a conditional UPDATE from the state before, so a hold resolves once.
 */
export const redemptions = ledgerSchema.table(
  'redemptions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    /** The account the points came from: the user's own, or their household pool. */
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'restrict' }),
    rewardId: uuid('reward_id').notNull(),
    merchantId: uuid('merchant_id').notNull(),
    quantity: integer('quantity').notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
    status: text('status').notNull(),
    holdTransactionId: uuid('hold_transaction_id')
      .notNull()
      .references(() => transactions.id, { onDelete: 'restrict' }),
    resolveTransactionId: uuid('resolve_transaction_id').references(() => transactions.id, { onDelete: 'restrict' }),
    cancelTransactionId: uuid('cancel_transaction_id').references(() => transactions.id, { onDelete: 'restrict' }),
    compensationPoints: bigint('compensation_points', { mode: 'number' }).notNull().default(0),
    /** Where the merchants subgraph's stock stands: NONE (not yet reserved), RESERVED, CONFIRMED, REFUSED. */
    stockState: text('stock_state').notNull().default('NONE'),
    /** Why it was voided or cancelled. */
    reason: text('reason'),
    /** The reward's terms when it was redeemed: what the member agreed to, whatever they say later. */
    terms: text('terms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    index('redemptions_user_idx').on(t.userId, t.createdAt),
    index('redemptions_held_idx').on(t.createdAt).where(sql`${t.status} = 'HELD'`),
    check('redemptions_status_check', sql`${t.status} IN ('HELD', 'POSTED', 'VOIDED', 'CANCELLED')`),
    check('redemptions_quantity_check', sql`${t.quantity} BETWEEN 1 AND 100`),
    check('redemptions_points_check', sql`${t.points} > 0`),
  ],
);

/** A fraud case against a user's account: evidence required; freezing and clawback hang off it. */
export const fraudCases = ledgerSchema.table(
  'fraud_cases',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    status: text('status').notNull(),
    evidence: text('evidence').notNull(),
    reason: text('reason').notNull(),
    /** While true (and the case is OPEN or CONFIRMED) the user may not redeem or transfer; earning goes on. */
    frozen: boolean('frozen').notNull().default(false),
    openedBy: text('opened_by').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    index('fraud_cases_user_idx').on(t.userId),
    check('fraud_cases_status_check', sql`${t.status} IN ('OPEN', 'CONFIRMED', 'DISMISSED')`),
    check('fraud_cases_evidence_check', sql`length(${t.evidence}) > 0`),
  ],
);

/** Who did what to whose account, and why: every fraud action, append-only. */
export const auditLog = ledgerSchema.table(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    userId: uuid('user_id'),
    caseId: uuid('case_id'),
    reason: text('reason').notNull(),
    details: jsonb('details').notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_user_idx').on(t.userId, t.at)],
);

/**
 * Settlement of one period (a calendar month, UTC) per merchant: points issued × its settlement price
 * owed to the pool, points redeemed there × the same price owed back. The `alliance` row holds the
 * pool's side, so a period's net positions sum to zero; breakage is the pool's.
 */
export const settlements = ledgerSchema.table(
  'settlements',
  {
    period: text('period').notNull(),
    party: text('party').notNull(),
    issuedPoints: bigint('issued_points', { mode: 'number' }).notNull(),
    redeemedPoints: bigint('redeemed_points', { mode: 'number' }).notNull(),
    expiredPoints: bigint('expired_points', { mode: 'number' }).notNull(),
    minorPer100Points: integer('minor_per_100_points').notNull(),
    /** Positive: the party owes the pool; negative: the pool owes the party. In fen. */
    netMinor: bigint('net_minor', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'settlements_pk', columns: [t.period, t.party] })],
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
  /** Its name (MerchantRegistered, MerchantProfileUpdated): the ledger serves it on a transaction's merchant. */
  name: text('name'),
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

