import type { Executor } from '@greenpoints/db';
import { earnRules, merchants, products, rewards } from '@greenpoints/db/schema/merchants';
import { and, asc, desc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';

export type MerchantRow = typeof merchants.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type RewardRow = typeof rewards.$inferSelect;
export type EarnRuleRow = typeof earnRules.$inferSelect;

export interface CatalogQuery {
  merchantId?: string | undefined;
  merchantCategory?: string | undefined;
  kind?: string | undefined;
  maxPointsCost?: number | undefined;
  inStockOnly: boolean;
  search?: string | undefined;
  after?: { cost: number; id: string } | undefined;
  limit: number;
  now: Date;
}

/** The cost in force at `now`, computed in SQL so filters and the domain rule agree. */
const effectiveCost = (now: Date) =>
  sql<number>`CASE WHEN ${rewards.salePointsCost} IS NOT NULL AND ${rewards.saleStartsAt} <= ${now.toISOString()}
    AND ${rewards.saleEndsAt} > ${now.toISOString()} THEN ${rewards.salePointsCost} ELSE ${rewards.pointsCost} END`;

export function createMerchantsRepository(db: Executor) {
  return {
    merchantsByIds: (ids: readonly string[]) => db.select().from(merchants).where(inArray(merchants.id, [...ids])),
    productsBySkus: (skus: readonly string[]) => db.select().from(products).where(inArray(products.sku, [...skus])),
    rewardsByIds: (ids: readonly string[]) => db.select().from(rewards).where(inArray(rewards.id, [...ids])),
    rewardsByMerchants: (ids: readonly string[]) =>
      db.select().from(rewards).where(inArray(rewards.merchantId, [...ids])).orderBy(asc(rewards.pointsCost), asc(rewards.id)),
    /** The newest published version per merchant that is already in effect. */
    currentEarnRules: (ids: readonly string[], now: Date) =>
      db
        .selectDistinctOn([earnRules.merchantId])
        .from(earnRules)
        .where(and(inArray(earnRules.merchantId, [...ids]), sql`${earnRules.effectiveFrom} <= ${now.toISOString()}`))
        .orderBy(earnRules.merchantId, desc(earnRules.version)),
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
    listProducts: (merchantId: string, afterSku: string | undefined, limit: number) =>
      db
        .select()
        .from(products)
        .where(and(eq(products.merchantId, merchantId), afterSku ? gt(products.sku, afterSku) : undefined))
        .orderBy(asc(products.sku))
        .limit(limit),
    catalog: (q: CatalogQuery) => {
      const cost = effectiveCost(q.now);
      const filters: (SQL | undefined)[] = [
        q.merchantId ? eq(rewards.merchantId, q.merchantId) : undefined,
        q.kind ? eq(rewards.kind, q.kind) : undefined,
        q.maxPointsCost !== undefined ? sql`${cost} <= ${q.maxPointsCost}` : undefined,
        q.inStockOnly ? gt(rewards.stock, 0) : undefined,
        q.search ? ilike(rewards.title, `%${q.search.replace(/[\\%_]/g, '\\$&')}%`) : undefined,
        sql`${rewards.validFrom} <= ${q.now.toISOString()}`,
        or(sql`${rewards.validUntil} IS NULL`, sql`${rewards.validUntil} > ${q.now.toISOString()}`),
        q.merchantCategory
          ? inArray(rewards.merchantId, db.select({ id: merchants.id }).from(merchants).where(eq(merchants.category, q.merchantCategory)))
          : undefined,
        q.after
          ? or(gt(rewards.pointsCost, q.after.cost), and(eq(rewards.pointsCost, q.after.cost), gt(rewards.id, q.after.id)))
          : undefined,
      ];
      return db
        .select()
        .from(rewards)
        .where(and(...filters))
        .orderBy(asc(rewards.pointsCost), asc(rewards.id))
        .limit(q.limit);
    },
  };
}
export type MerchantsRepository = ReturnType<typeof createMerchantsRepository>;
