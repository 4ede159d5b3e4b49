import { inIds, prepared, queryRows, type Executor } from '@greenpoints/db';
import {
  accounts,
  earnRuleCopies,
  greenSkuVersions,
  merchantCopies,
  postings,
  productCopies,
  promotionBudgets,
  promotionCopies,
  purchaseLines,
  purchases,
  transactions,
  userCopies,
} from '@greenpoints/db/schema/ledger';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';

export type TransactionRow = typeof transactions.$inferSelect;
export type PurchaseRow = typeof purchases.$inferSelect;
export type PurchaseLineRow = typeof purchaseLines.$inferSelect;

// The reads every request makes, each built once (`prepared`); `ids` is one array parameter (`inIds`).
const transactionsById = prepared('ledger_transactions_by_id', (db) => db.select().from(transactions).where(inIds(transactions.id)));
/** Per transaction, the net change of each user's own accounts, by asset (a transfer has two users). */
const userDeltasOf = prepared('ledger_user_deltas', (db) =>
  db
    .select({
      transactionId: postings.transactionId,
      userId: accounts.ownerId,
      asset: postings.asset,
      amount: sql<number>`sum(${postings.amount})::int`.mapWith(Number),
    })
    .from(postings)
    .innerJoin(accounts, eq(accounts.id, postings.accountId))
    .where(and(inIds(postings.transactionId), eq(accounts.kind, 'USER')))
    .groupBy(postings.transactionId, accounts.ownerId, postings.asset),
);
const spendSinceOf = prepared('ledger_spend_since', (db) =>
  db
    .select({ userId: purchases.userId, total: sql<number>`coalesce(sum(${purchases.amountMinor} - ${purchases.refundedMinor}), 0)`.mapWith(Number) })
    .from(purchases)
    .where(and(inIds(purchases.userId), sql`${purchases.occurredAt} >= ${sql.placeholder('since')}::timestamptz`))
    .groupBy(purchases.userId),
);

// What a purchase reads (inside its transaction, so built once for all transactions by `prepared`).
const userCopyOf = prepared('ledger_user_copy', (db) => db.select().from(userCopies).where(eq(userCopies.userId, sql.placeholder('id'))).limit(1));
const merchantCopyOf = prepared('ledger_merchant_copy', (db) => db.select().from(merchantCopies).where(eq(merchantCopies.merchantId, sql.placeholder('id'))).limit(1));
const earnRuleAtOf = prepared('ledger_earn_rule_at', (db) =>
  db
    .select()
    .from(earnRuleCopies)
    .where(and(eq(earnRuleCopies.merchantId, sql.placeholder('merchantId')), sql`${earnRuleCopies.effectiveFrom} <= ${sql.placeholder('at')}::timestamptz`))
    .orderBy(desc(earnRuleCopies.version))
    .limit(1),
);
const promotionsAtOf = prepared('ledger_promotions_at', (db) =>
  db
    .select()
    .from(promotionCopies)
    .where(
      and(
        eq(promotionCopies.merchantId, sql.placeholder('merchantId')),
        sql`${promotionCopies.startsAt} <= ${sql.placeholder('at')}::timestamptz`,
        sql`${promotionCopies.endsAt} > ${sql.placeholder('at')}::timestamptz`,
      ),
    )
    .orderBy(asc(promotionCopies.promotionId)),
);
const spendOf = prepared('ledger_spend_of_user', (db) =>
  db
    .select({ total: sql<number>`coalesce(sum(${purchases.amountMinor} - ${purchases.refundedMinor}), 0)`.mapWith(Number) })
    .from(purchases)
    .where(and(eq(purchases.userId, sql.placeholder('userId')), sql`${purchases.occurredAt} >= ${sql.placeholder('since')}::timestamptz`)),
);

export function createTransactionsRepository(db: Executor) {
  return {
    transactionsByIds: (ids: readonly string[]) => transactionsById(db, { ids: [...ids] }),
    transactionByKey: async (key: string) =>
      (await db.select().from(transactions).where(eq(transactions.idempotencyKey, key)).limit(1))[0],
    /**
     * The ids of the newest `limit` transactions of each of many users (as party or counterparty),
     * newest first, after the same keyset cursor: one statement for a whole list of users. Each side
     * is its own index range read newest first and stopped at `limit`, so a page costs the same
     * whatever the length of the user's history (`x.user_id = v OR x.counterparty_id = v` read
     * every transaction of the user and sorted them).
     */
    userTransactionIds: async (q: { userIds: readonly string[]; types?: string[] | undefined; before?: { at: string; id: string } | undefined; limit: number }) => {
      const side = (column: SQL) => sql`(SELECT x.id, x.created_at FROM ${transactions} x
                WHERE ${column} = v.viewer
                  ${q.types?.length ? sql`AND x.type IN (${sql.join(q.types.map((type) => sql`${type}`), sql`, `)})` : sql``}
                  ${q.before ? sql`AND (x.created_at, x.id) < (${q.before.at}::timestamptz, ${q.before.id}::uuid)` : sql``}
                ORDER BY x.created_at DESC, x.id DESC
                LIMIT ${q.limit})`;
      const rows = await queryRows<{ viewer: string; id: string }>(
        db,
        sql`SELECT v.viewer::text AS viewer, t.id::text AS id
          FROM unnest(ARRAY[${sql.join(q.userIds.map((id) => sql`${id}`), sql`, `)}]::uuid[]) AS v(viewer)
          CROSS JOIN LATERAL (
            SELECT y.id, y.created_at FROM (${side(sql`x.user_id`)} UNION ${side(sql`x.counterparty_id`)}) y
            ORDER BY y.created_at DESC, y.id DESC
            LIMIT ${q.limit}
          ) t
          ORDER BY v.viewer, t.created_at DESC, t.id DESC`,
      );
      const byUser = new Map<string, string[]>(q.userIds.map((id) => [id, []]));
      for (const r of rows) byUser.get(r.viewer)?.push(r.id);
      return byUser;
    },
    userDeltas: (txIds: readonly string[]) => userDeltasOf(db, { ids: [...txIds] }),
    purchaseByTransaction: async (transactionId: string) =>
      (await db.select().from(purchases).where(eq(purchases.transactionId, transactionId)).limit(1))[0],
    linesByPurchases: (ids: readonly string[]) =>
      db.select().from(purchaseLines).where(inArray(purchaseLines.purchaseId, [...ids])).orderBy(asc(purchaseLines.lineNo)),
    /** The rule version in effect at `at` (the newest one published with effectiveFrom ≤ at). */
    earnRuleAt: async (merchantId: string, at: Date) => (await earnRuleAtOf(db, { merchantId, at: at.toISOString() }))[0],
    /** The exact rule version a purchase was earned under. */
    earnRuleVersion: async (merchantId: string, version: number) =>
      (
        await db
          .select()
          .from(earnRuleCopies)
          .where(and(eq(earnRuleCopies.merchantId, merchantId), eq(earnRuleCopies.version, version)))
          .limit(1)
      )[0],
    /** The promotions of a merchant whose window holds `at` (read model), by id. */
    promotionsAt: (merchantId: string, at: Date) => promotionsAtOf(db, { merchantId, at: at.toISOString() }),
    /**
     * Locks the budget rows of these promotions (creating them at first use) with SELECT … FOR
     * UPDATE in id order, and returns the points each has left. Purchases that may use a promotion
     * queue on its row, so its cap holds under any concurrency. Lock order: promotion budgets
     * before accounts, in every operation that takes both.
     */
    lockPromotionBudgets: async (promotions: readonly { promotionId: string; budgetPoints: number }[]) => {
      if (promotions.length === 0) return new Map<string, number>();
      await db
        .insert(promotionBudgets)
        .values(promotions.map((p) => ({ promotionId: p.promotionId, budgetPoints: p.budgetPoints })))
        .onConflictDoNothing();
      const rows = await db
        .select()
        .from(promotionBudgets)
        .where(inArray(promotionBudgets.promotionId, promotions.map((p) => p.promotionId)))
        .orderBy(asc(promotionBudgets.promotionId))
        .for('update');
      return new Map(rows.map((r) => [r.promotionId, r.budgetPoints - r.usedPoints]));
    },
    /** Adds the bonus points a purchase drew from each promotion (rows locked by lockPromotionBudgets). */
    chargePromotionBudgets: async (charges: ReadonlyMap<string, number>) => {
      for (const [promotionId, points] of charges) {
        await db
          .update(promotionBudgets)
          .set({ usedPoints: sql`${promotionBudgets.usedPoints} + ${points}` })
          .where(eq(promotionBudgets.promotionId, promotionId));
      }
    },
    /** Product category per SKU, as the merchants listed them (read model); SKUs not known are left out. */
    productCategories: async (skus: string[]) => {
      if (skus.length === 0) return new Map<string, string>();
      const rows = await db.select({ sku: productCopies.sku, category: productCopies.category }).from(productCopies).where(inArray(productCopies.sku, skus));
      return new Map(rows.flatMap((r) => (r.category === null ? [] : [[r.sku, r.category] as const])));
    },
    /** Green points per unit of each SKU by the profile version in force at `at` (read model). */
    greenPointsPerUnit: async (skus: string[], at: Date) => {
      if (skus.length === 0) return new Map<string, number>();
      const rows = await db
        .selectDistinctOn([greenSkuVersions.sku])
        .from(greenSkuVersions)
        .where(and(inArray(greenSkuVersions.sku, skus), sql`${greenSkuVersions.effectiveFrom} <= ${at.toISOString()}`))
        .orderBy(greenSkuVersions.sku, desc(greenSkuVersions.version));
      return new Map(rows.map((r) => [r.sku, r.greenPointsPerUnit]));
    },
    /** What the ledger knows of a user and a merchant, from their events. */
    userCopy: async (userId: string) => (await userCopyOf(db, { id: userId }))[0],
    merchantCopy: async (merchantId: string) => (await merchantCopyOf(db, { id: merchantId }))[0],
    /** Which merchant each SKU belongs to (read model of ProductListed). */
    productOwners: async (skus: string[]) => {
      if (skus.length === 0) return new Map<string, string>();
      const rows = await db.select({ sku: productCopies.sku, merchantId: productCopies.merchantId }).from(productCopies).where(inArray(productCopies.sku, skus));
      return new Map(rows.map((r) => [r.sku, r.merchantId]));
    },
    /** `spendSince` for many users in one statement; users without purchases are absent. */
    spendSinceByUsers: async (userIds: readonly string[], since: Date) => {
      const rows = await spendSinceOf(db, { ids: [...userIds], since: since.toISOString() });
      return new Map(rows.map((r) => [r.userId, r.total]));
    },
    /** Posted spend since `since`, net of refunds: what decides the tier. */
    spendSince: async (userId: string, since: Date) => (await spendOf(db, { userId, since: since.toISOString() }))[0]?.total ?? 0,
  };
}
export type TransactionsRepository = ReturnType<typeof createTransactionsRepository>;
