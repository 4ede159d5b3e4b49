import type { Executor } from '@greenpoints/db';
import { earnRules, merchants, merchantsOutbox, products } from '@greenpoints/db/schema/merchants';
import { publish } from '@greenpoints/events';
import { desc, eq } from 'drizzle-orm';
import { DEFAULT_POINTS_VALID_DAYS, overridesList } from '../domain/earnRules.ts';
import { merchantsError } from '../errors.ts';

export interface EarnRuleInput {
  pointsPerYuan: number;
  pendingDays: number;
  perOrderCap: number | null;
  /** Points per yuan by product category (checked: see domain/earnRules.ts). None: {}. */
  categoryPointsPerYuan?: Record<string, number>;
  /** Days the points this version issues stay valid; 365 when not given. */
  pointsValidDays?: number;
  effectiveFrom: Date;
  publishedAt?: Date;
}

/**
 * Publishes the next version of a merchant's earn rule (versions are never edited). The merchant
 * row is locked so versions are numbered, and published, one after the other. A version takes
 * effect no earlier than it is published (checked here and by a CHECK in Postgres), so members
 * always know a rule before a purchase earns by it. Only the seed passes `publishedAt` (history).
 */
export async function publishEarnRule(db: Executor, merchantId: string, rule: EarnRuleInput): Promise<number> {
  const publishedAt = rule.publishedAt ?? new Date();
  if (rule.effectiveFrom < publishedAt) {
    throw merchantsError('BAD_USER_INPUT', 'An earn rule takes effect no earlier than it is published', { argument: 'input.effectiveFrom' });
  }
  return db.transaction(async (tx) => {
    const [merchant] = await tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, merchantId)).for('update');
    if (!merchant) throw merchantsError('NOT_FOUND', 'No such merchant', { merchantId });
    const [latest] = await tx
      .select({ version: earnRules.version })
      .from(earnRules)
      .where(eq(earnRules.merchantId, merchantId))
      .orderBy(desc(earnRules.version))
      .limit(1);
    const version = (latest?.version ?? 0) + 1;
    const categoryPointsPerYuan = rule.categoryPointsPerYuan ?? {};
    const pointsValidDays = rule.pointsValidDays ?? DEFAULT_POINTS_VALID_DAYS;
    await tx.insert(earnRules).values({ merchantId, version, ...rule, categoryPointsPerYuan, pointsValidDays, publishedAt });
    await publish(
      tx,
      merchantsOutbox,
      'EarnRulePublished',
      {
        merchantId,
        version,
        pointsPerYuan: rule.pointsPerYuan,
        pendingDays: rule.pendingDays,
        perOrderCap: rule.perOrderCap,
        effectiveFrom: rule.effectiveFrom.toISOString(),
        categoryOverrides: overridesList(categoryPointsPerYuan),
        pointsValidDays,
      },
      publishedAt,
    );
    return version;
  });
}

export interface ProductInput {
  sku: string;
  name: string;
  priceMinor: number;
  category: string;
}

/**
 * Lists a product under a merchant and publishes ProductListed. A SKU is listed once, by one
 * merchant: the insert does nothing on a taken SKU (also under a race), and that is SKU_TAKEN.
 */
export async function listProduct(db: Executor, merchantId: string, product: ProductInput, at: Date = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const [merchant] = await tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, merchantId)).for('update');
    if (!merchant) throw merchantsError('NOT_FOUND', 'No such merchant', { merchantId });
    const inserted = await tx.insert(products).values({ ...product, merchantId }).onConflictDoNothing().returning({ sku: products.sku });
    if (inserted.length === 0) throw merchantsError('SKU_TAKEN', 'This SKU is already listed', { argument: 'input.sku' });
    await publish(tx, merchantsOutbox, 'ProductListed', { ...product, merchantId }, at);
  });
}
