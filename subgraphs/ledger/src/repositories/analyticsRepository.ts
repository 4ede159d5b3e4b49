import { queryRows, type Executor } from '@greenpoints/db';
import { accounts, merchantCopies, postings, purchases, transactions } from '@greenpoints/db/schema/ledger';
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { MEMBER_KINDS, type FlowGroupRow, type GroupLevel } from '../domain/analytics.ts';
import type { SettlementCellRow } from '../domain/settlement.ts';
import { TIERS } from '../domain/tier.ts';

/**
 * Read-side aggregates for analysts, computed with GROUP BY over the ledger's own tables at read
 * time: every row returned here is already a sum over a group, never a person's row. (Why not
 * aggregate tables kept in the write transaction: they would add a hot row per merchant and month to
 * every purchase, which already waits on its merchant's budget row, and they would have to follow
 * each new transaction type; these queries follow the postings, so new types count at once.)
 */

/** The UTC month a transaction was posted in. Literal SQL, so GROUP BY and SELECT match textually. */
const month = sql`to_char(${transactions.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM')`;

/** A person behind a member posting: the owner of a user (or hold) account, or the acting user of a household pool's. */
const person = sql`CASE WHEN ${accounts.kind} IN ('USER', 'HOLD') THEN ${accounts.ownerId} ELSE ${transactions.userId}::text END`;

/** GROUPING(merchant, category, month) as a bit mask: which grouping set a row belongs to. */
const LEVELS: Record<number, GroupLevel> = { 0: 'cell', 1: 'merchant', 5: 'category', 6: 'month', 7: 'total' };

export function createAnalyticsRepository(db: Executor) {
  return {
    /**
     * Net change of members' accounts (user accounts and household pools) per transaction type and
     * asset, with distinct people and transactions, at five levels in one pass (GROUPING SETS): per
     * merchant (with its category), per category, per month, per merchant and month (used only to
     * check how merchants and months link, never shown), and overall.
     */
    memberFlows: async (): Promise<FlowGroupRow[]> => {
      const rows = await db
        .select({
          type: transactions.type,
          asset: postings.asset,
          merchantId: sql<string | null>`${transactions.merchantId}::text`,
          category: sql<string | null>`${merchantCopies.category}`,
          month: sql<string | null>`${month}`,
          grouping: sql<number>`GROUPING(${transactions.merchantId}, ${merchantCopies.category}, ${month})`.mapWith(Number),
          amount: sql<number>`sum(${postings.amount})`.mapWith(Number),
          transactions: sql<number>`count(DISTINCT ${transactions.id})`.mapWith(Number),
          people: sql<number>`count(DISTINCT ${person})`.mapWith(Number),
        })
        .from(postings)
        .innerJoin(accounts, eq(accounts.id, postings.accountId))
        .innerJoin(transactions, eq(transactions.id, postings.transactionId))
        .leftJoin(merchantCopies, eq(merchantCopies.merchantId, transactions.merchantId))
        .where(inArray(accounts.kind, [...MEMBER_KINDS]))
        .groupBy(
          sql`GROUPING SETS (
            (${transactions.type}, ${postings.asset}, ${transactions.merchantId}, ${merchantCopies.category}, ${month}),
            (${transactions.type}, ${postings.asset}, ${transactions.merchantId}, ${merchantCopies.category}),
            (${transactions.type}, ${postings.asset}, ${merchantCopies.category}),
            (${transactions.type}, ${postings.asset}, ${month}),
            (${transactions.type}, ${postings.asset}))`,
        );
      return rows.map(({ grouping, ...r }) => ({ ...r, level: LEVELS[grouping] ?? 'cell' }));
    },

    /** Balances held by members per asset (on hold included), and how many people hold a non-zero balance. */
    outstanding: () =>
      db
        .select({
          asset: accounts.asset,
          points: sql<number>`coalesce(sum(${accounts.balance}), 0)`.mapWith(Number),
          people: sql<number>`count(DISTINCT ${accounts.ownerId}) FILTER (WHERE ${accounts.kind} IN ('USER', 'HOLD') AND ${accounts.balance} <> 0)`.mapWith(Number),
        })
        .from(accounts)
        .where(inArray(accounts.kind, [...MEMBER_KINDS]))
        .groupBy(accounts.asset),

    /**
     * Each merchant's issuance budget per asset: what was funded (BUDGET_FUNDING), what left it
     * otherwise (issuance, compensation; refunds flow back and count against), and the people who
     * received from it.
     */
    budgets: () =>
      db
        .select({
          merchantId: accounts.ownerId,
          asset: accounts.asset,
          funded: sql<number>`coalesce(sum(${postings.amount}) FILTER (WHERE ${transactions.type} = 'BUDGET_FUNDING'), 0)`.mapWith(Number),
          used: sql<number>`coalesce(-sum(${postings.amount}) FILTER (WHERE ${transactions.type} <> 'BUDGET_FUNDING'), 0)`.mapWith(Number),
          people: sql<number>`count(DISTINCT ${transactions.userId}) FILTER (WHERE ${transactions.type} <> 'BUDGET_FUNDING')`.mapWith(Number),
          /** The transaction types that drew on (or returned to) the budget: their figures are linked to its use. */
          types: sql<string[] | null>`array_agg(DISTINCT ${transactions.type}) FILTER (WHERE ${transactions.type} <> 'BUDGET_FUNDING')`,
        })
        .from(accounts)
        .innerJoin(postings, eq(postings.accountId, accounts.id))
        .innerJoin(transactions, eq(transactions.id, postings.transactionId))
        .where(eq(accounts.kind, 'MERCHANT_ISSUANCE'))
        .groupBy(accounts.ownerId, accounts.asset),

    /**
     * Each merchant's settlement flows per UTC month, as `settle` (operations/settle.ts) groups them:
     * POINTS that left its issuance budget (net of refunds back) and POINTS redeemed at it (net of
     * cancellations), with the people behind each side. A transaction's person is its user, or the
     * member whose account it moved (a posted redemption records no user), and whether `settle`
     * has settled that month.
     */
    settlementCells: async (): Promise<SettlementCellRow[]> => {
      const rows = await queryRows<Record<string, string | number | boolean | null>>(
        db,
        sql`WITH flows AS (
              SELECT a.owner_id AS merchant_id, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, a.kind, p.amount,
                     coalesce(t.user_id::text, (SELECT min(ma.owner_id) FROM ledger.postings mp JOIN ledger.accounts ma ON ma.id = mp.account_id
                                                 WHERE mp.transaction_id = t.id AND ma.kind IN ('USER', 'HOLD'))) AS person
                FROM ledger.postings p
                JOIN ledger.accounts a ON a.id = p.account_id
                JOIN ledger.transactions t ON t.id = p.transaction_id
               WHERE p.asset = 'POINTS' AND t.type <> 'BUDGET_FUNDING' AND a.kind IN ('MERCHANT_ISSUANCE', 'MERCHANT_REDEMPTION')),
            cells AS (
              SELECT merchant_id, month,
                     coalesce(-sum(amount) FILTER (WHERE kind = 'MERCHANT_ISSUANCE'), 0) AS issued,
                     coalesce(sum(amount) FILTER (WHERE kind = 'MERCHANT_REDEMPTION'), 0) AS redeemed,
                     count(*) FILTER (WHERE kind = 'MERCHANT_ISSUANCE') AS issuance_postings,
                     count(*) FILTER (WHERE kind = 'MERCHANT_REDEMPTION') AS redemption_postings,
                     count(DISTINCT person) FILTER (WHERE kind = 'MERCHANT_ISSUANCE') AS issuers,
                     count(DISTINCT person) FILTER (WHERE kind = 'MERCHANT_REDEMPTION') AS redeemers,
                     count(DISTINCT person) AS people
                FROM flows GROUP BY merchant_id, month)
            SELECT c.*, EXISTS (SELECT 1 FROM ledger.settlements s WHERE s.period = c.month) AS settled
              FROM cells c`,
      );
      return rows.map((r) => ({
        merchantId: String(r['merchant_id']),
        month: String(r['month']),
        issued: Number(r['issued']),
        redeemed: Number(r['redeemed']),
        issuers: Number(r['issuance_postings']) > 0 ? Number(r['issuers']) : null,
        redeemers: Number(r['redemption_postings']) > 0 ? Number(r['redeemers']) : null,
        people: Number(r['people']),
        settled: r['settled'] === true,
      }));
    },

    /**
     * Active members (a purchase in the trailing tier window) per tier, the tier decided by their
     * spend in that window net of refunds, with the thresholds of domain/tier.ts, as PointsAccount.tier
     * decides it (transactionsRepository.spendSince).
     */
    membersByTier: async (now: Date, windowStart: Date) => {
      const spend = db
        .select({ userId: purchases.userId, spend: sql<number>`sum(${purchases.amountMinor} - ${purchases.refundedMinor})`.as('spend') })
        .from(purchases)
        .where(and(gte(purchases.occurredAt, windowStart), sql`${purchases.occurredAt} <= ${now.toISOString()}`))
        .groupBy(purchases.userId)
        .as('spend');
      const cases = TIERS.map((t) => sql`WHEN ${spend.spend} >= ${sql.raw(String(t.minSpendMinor))} THEN ${sql.raw(`'${t.tier}'`)}`);
      const tier = sql<string>`CASE ${sql.join(cases, sql` `)} END`;
      return db
        .select({ tier, people: sql<number>`count(*)`.mapWith(Number) })
        .from(spend)
        .groupBy(tier);
    },
  };
}
export type AnalyticsRepository = ReturnType<typeof createAnalyticsRepository>;
