import { inIds, prepared, type Executor } from '@greenpoints/db';
import { earnRules, merchants, products, promotions, rewards } from '@greenpoints/db/schema/merchants';
import { and, asc, desc, eq, getTableColumns, gt, ilike, inArray, isNull, or, sql, type Placeholder, type SQL } from 'drizzle-orm';

export type MerchantRow = typeof merchants.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type RewardRow = typeof rewards.$inferSelect;
export type EarnRuleRow = typeof earnRules.$inferSelect;
export type PromotionRow = typeof promotions.$inferSelect;

export interface CatalogQuery {
  merchantId?: string | undefined;
  merchantCategory?: string | undefined;
  kind?: string | undefined;
  maxPointsCost?: number | undefined;
  /** The caller's spendable balance when they asked for what they can afford. */
  affordableWith?: number | undefined;
  inStockOnly: boolean;
  search?: string | undefined;
  order: CatalogOrder;
  after?: CatalogCursor | undefined;
  limit: number;
  now: Date;
}

export type CatalogOrder = 'CURRENT_COST_ASC' | 'CURRENT_COST_DESC' | 'NEWEST' | 'POPULARITY';
/** Keyset position: the sort key of the last row seen and its id (the tie-breaker). */
export type CatalogCursor = { cost: number; id: string } | { at: string; id: string } | { redemptions: number; id: string };

/** The cost in force at `now`, computed in SQL so filters and the domain rule agree. */
const effectiveCost = (now: Date | Placeholder) => {
  const at = now instanceof Date ? now.toISOString() : now;
  return sql<number>`CASE WHEN ${rewards.salePointsCost} IS NOT NULL AND ${rewards.saleStartsAt} <= ${at}
    AND ${rewards.saleEndsAt} > ${at} THEN ${rewards.salePointsCost} ELSE ${rewards.pointsCost} END`;
};

/**
 * created_at to the microsecond as ISO text: a JS Date keeps only milliseconds, and a cursor that
 * lost the microseconds would skip or repeat rows created in the same millisecond.
 */
const createdAtText = sql<string>`to_char(${rewards.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows strictly after the cursor (placeholders `afterKey`, `afterId`) in the given order: a row-value comparison on sort key, id. */
function afterCursor(order: CatalogOrder, cost: SQL<number>): SQL {
  const key = sql.placeholder('afterKey');
  const id = sql`${sql.placeholder('afterId')}::uuid`;
  if (order === 'NEWEST') return sql`(${rewards.createdAt}, ${rewards.id}) < (${key}::timestamptz, ${id})`;
  if (order === 'POPULARITY') return sql`(${rewards.confirmedRedemptions}, ${rewards.id}) < (${key}::int, ${id})`;
  return order === 'CURRENT_COST_DESC' ? sql`(${cost}, ${rewards.id}) < (${key}::int, ${id})` : sql`(${cost}, ${rewards.id}) > (${key}::int, ${id})`;
}

/** The cursor's sort key, checked against the order it must come from. */
function cursorKey(order: CatalogOrder, after: CatalogCursor): string | number {
  if ('at' in after) {
    if (order !== 'NEWEST') throw new Error('a NEWEST cursor with another order');
    return after.at;
  }
  if ('redemptions' in after) {
    if (order !== 'POPULARITY') throw new Error('a POPULARITY cursor with another order');
    return after.redemptions;
  }
  if (order === 'NEWEST' || order === 'POPULARITY') throw new Error(`a cost cursor with the ${order} order`);
  return after.cost;
}

const ORDERS: Record<CatalogOrder, (cost: SQL<number>) => SQL[]> = {
  CURRENT_COST_ASC: (cost) => [sql`${cost} ASC`, sql`${rewards.id} ASC`],
  CURRENT_COST_DESC: (cost) => [sql`${cost} DESC`, sql`${rewards.id} DESC`],
  NEWEST: () => [sql`${rewards.createdAt} DESC`, sql`${rewards.id} DESC`],
  POPULARITY: () => [sql`${rewards.confirmedRedemptions} DESC`, sql`${rewards.id} DESC`],
};

/** Which of the catalogue's filters a query uses, and its order: one statement per shape. */
interface CatalogShape {
  merchantId: boolean;
  merchantCategory: boolean;
  kind: boolean;
  maxPointsCost: boolean;
  affordableWith: boolean;
  inStockOnly: boolean;
  search: boolean;
  after: boolean;
  order: CatalogOrder;
}

/**
 * The catalogue's statement for one shape, built once (`prepared`) with every value a placeholder.
 * A catalogue page is most of what the merchants subgraph does for the home query, a partner's sync
 * and the catalogue screen, and drizzle building this statement (a dozen optional filters, a
 * subquery, the cost in force) was the largest part of that. At most 2⁸ × 4 shapes, a handful in use.
 */
const catalogShapes = new Map<string, ReturnType<typeof catalogStatement>>();
function catalogOfShape(shape: CatalogShape) {
  const key = JSON.stringify(shape);
  let statement = catalogShapes.get(key);
  if (!statement) {
    statement = catalogStatement(shape);
    catalogShapes.set(key, statement);
  }
  return statement;
}

function catalogStatement(shape: CatalogShape) {
  const p = (name: string) => sql.placeholder(name);
  return prepared(`catalog_${JSON.stringify(shape)}`, (db) => {
    const cost = effectiveCost(p('now'));
    const filters: (SQL | undefined)[] = [
      shape.merchantId ? sql`${rewards.merchantId} = ${p('merchantId')}::uuid` : undefined,
      shape.kind ? eq(rewards.kind, p('kind')) : undefined,
      shape.maxPointsCost ? sql`${cost} <= ${p('maxPointsCost')}::int` : undefined,
      shape.affordableWith ? sql`${cost} <= ${p('affordableWith')}::bigint` : undefined,
      shape.inStockOnly ? or(isNull(rewards.stock), gt(rewards.stock, 0)) : undefined,
      shape.search ? ilike(rewards.title, p('search')) : undefined,
      sql`${rewards.validFrom} <= ${p('now')}`,
      or(sql`${rewards.validUntil} IS NULL`, sql`${rewards.validUntil} > ${p('now')}`),
      // A suspended (or closed) merchant's rewards leave the catalogue.
      inArray(
        rewards.merchantId,
        db
          .select({ id: merchants.id })
          .from(merchants)
          .where(and(eq(merchants.status, 'ACTIVE'), shape.merchantCategory ? eq(merchants.category, p('merchantCategory')) : undefined)),
      ),
      shape.after ? afterCursor(shape.order, cost) : undefined,
    ];
    return db
      .select({ reward: rewards, cost, createdAt: createdAtText })
      .from(rewards)
      .where(and(...filters))
      .orderBy(...ORDERS[shape.order](cost))
      .limit(p('limit'));
  });
}

/** Built once (`prepared`): every catalogue page names its rewards' merchants. */
const merchantsById = prepared('merchants_by_id', (db) => db.select().from(merchants).where(inIds(merchants.id)));

export function createMerchantsRepository(db: Executor) {
  return {
    merchantsByIds: (ids: readonly string[]) => merchantsById(db, { ids: [...ids] }),
    productsBySkus: (skus: readonly string[]) => db.select().from(products).where(inArray(products.sku, [...skus])),
    rewardsByIds: (ids: readonly string[]) => db.select().from(rewards).where(inArray(rewards.id, [...ids])),
    /** Each merchant's rewards, cheapest first by the cost in force at `now` (the sale price inside its window). */
    rewardsByMerchants: (ids: readonly string[], now: Date) =>
      db
        .select()
        .from(rewards)
        .where(inArray(rewards.merchantId, [...ids]))
        .orderBy(sql`${effectiveCost(now)} ASC`, asc(rewards.id)),
    /** The newest published version per merchant that is already in effect. */
    currentEarnRules: (ids: readonly string[], now: Date) =>
      db
        .selectDistinctOn([earnRules.merchantId])
        .from(earnRules)
        .where(and(inArray(earnRules.merchantId, [...ids]), sql`${earnRules.effectiveFrom} <= ${now.toISOString()}`))
        .orderBy(earnRules.merchantId, desc(earnRules.version)),
    promotionsByIds: (ids: readonly string[]) => db.select().from(promotions).where(inArray(promotions.id, [...ids])),
    /** Each merchant's promotions in force at `now` or to start later, soonest first. */
    promotionsByMerchants: (ids: readonly string[], now: Date) =>
      db
        .select()
        .from(promotions)
        .where(and(inArray(promotions.merchantId, [...ids]), sql`${promotions.endsAt} > ${now.toISOString()}`))
        .orderBy(asc(promotions.startsAt), asc(promotions.id)),
    /** Promotions in force at `now` or to start later at active merchants, soonest first, at most `limit`. */
    promotionsNotEnded: (now: Date, limit: number) =>
      db
        .select({ promotion: promotions })
        .from(promotions)
        .innerJoin(merchants, eq(merchants.id, promotions.merchantId))
        .where(and(eq(merchants.status, 'ACTIVE'), sql`${promotions.endsAt} > ${now.toISOString()}`))
        .orderBy(asc(promotions.startsAt), asc(promotions.id))
        .limit(limit),
    /** Every published version per merchant, newest first. */
    earnRuleHistories: (ids: readonly string[]) =>
      db.select().from(earnRules).where(inArray(earnRules.merchantId, [...ids])).orderBy(earnRules.merchantId, desc(earnRules.version)),
    /** The longest return window and the shortest and longest expiry terms among the rules in force at `now` at active merchants. */
    termsInForce: async (now: Date): Promise<{ maxPendingDays: number; minValidDays: number | null; maxValidDays: number | null }> => {
      const inForce = db
        .selectDistinctOn([earnRules.merchantId], { pendingDays: earnRules.pendingDays, validDays: earnRules.pointsValidDays })
        .from(earnRules)
        .innerJoin(merchants, eq(merchants.id, earnRules.merchantId))
        .where(and(eq(merchants.status, 'ACTIVE'), sql`${earnRules.effectiveFrom} <= ${now.toISOString()}`))
        .orderBy(earnRules.merchantId, desc(earnRules.version))
        .as('in_force');
      const [row] = await db
        .select({
          maxPending: sql<number | null>`max(${inForce.pendingDays})`,
          minValid: sql<number | null>`min(${inForce.validDays})`,
          maxValid: sql<number | null>`max(${inForce.validDays})`,
        })
        .from(inForce);
      return { maxPendingDays: row?.maxPending ?? 0, minValidDays: row?.minValid ?? null, maxValidDays: row?.maxValid ?? null };
    },
    listMerchants: (q: { category?: string | undefined; afterId?: string | undefined; limit: number }) =>
      db
        .select()
        .from(merchants)
        .where(
          and(
            q.category ? eq(merchants.category, q.category) : undefined,
            q.afterId ? gt(merchants.id, q.afterId) : undefined,
          ),
        )
        .orderBy(asc(merchants.id))
        .limit(q.limit),
    /**
     * One page of products (by SKU, after `afterSku`) for each of these merchants, in one statement:
     * numbered within each merchant, so a list of merchants costs one query, not one per merchant.
     */
    productPages: async (merchantIds: readonly string[], afterSku: string | undefined, limit: number) => {
      const numbered = db
        .select({
          ...getTableColumns(products),
          rank: sql<number>`row_number() over (partition by ${products.merchantId} order by ${products.sku})`.as('rank'),
        })
        .from(products)
        .where(and(inArray(products.merchantId, [...merchantIds]), afterSku ? gt(products.sku, afterSku) : undefined))
        .as('numbered');
      const rows = await db.select().from(numbered).where(sql`${numbered.rank} <= ${limit}`).orderBy(asc(numbered.merchantId), asc(numbered.sku));
      return rows.map(({ rank: _rank, ...product }): ProductRow => product);
    },
    catalog: (q: CatalogQuery) => {
      const shape: CatalogShape = {
        merchantId: q.merchantId !== undefined,
        merchantCategory: q.merchantCategory !== undefined,
        kind: q.kind !== undefined,
        maxPointsCost: q.maxPointsCost !== undefined,
        affordableWith: q.affordableWith !== undefined,
        inStockOnly: q.inStockOnly,
        search: q.search !== undefined,
        after: q.after !== undefined,
        order: q.order,
      };
      return catalogOfShape(shape)(db, {
        now: q.now.toISOString(),
        limit: q.limit,
        merchantId: q.merchantId,
        merchantCategory: q.merchantCategory,
        kind: q.kind,
        maxPointsCost: q.maxPointsCost,
        affordableWith: q.affordableWith,
        // Substring match, so a two-character Chinese word finds its titles (trigrams would not).
        search: q.search === undefined ? undefined : `%${q.search.replace(/[\\%_]/g, '\\$&')}%`,
        afterKey: q.after ? cursorKey(q.order, q.after) : undefined,
        afterId: q.after?.id,
      });
    },
  };
}
export type MerchantsRepository = ReturnType<typeof createMerchantsRepository>;
