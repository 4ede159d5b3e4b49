import type { Database } from '@greenpoints/db';
import { greenOutbox, greenProfiles, greenProfileVersions } from '@greenpoints/db/schema/green';
import { earnRules, merchants, merchantsOutbox, products } from '@greenpoints/db/schema/merchants';
import { users, usersOutbox } from '@greenpoints/db/schema/users';
import { publish, type DeliveryOptions } from '@greenpoints/events';
import { count, eq, notExists } from 'drizzle-orm';
import { deliverEverything } from './deliver.ts';

/** The epoch: a profile that existed before versions were kept has been in force "always". */
const ALWAYS = new Date(0);

/** A database made before events existed has users but no UserRegistered: its read models are empty. */
export async function needsBackfill(db: Database): Promise<boolean> {
  const [people] = await db.select({ n: count() }).from(users);
  const [registered] = await db.select({ n: count() }).from(usersOutbox).where(eq(usersOutbox.type, 'UserRegistered'));
  return (people?.n ?? 0) > 0 && (registered?.n ?? 0) === 0;
}

/**
 * Publishes, once, what each subgraph already holds (users, households, merchants, products, earn
 * rules, green profiles) through the same contracts, then delivers it, so the ledger's read models
 * of an older database are built exactly as a new one's. Returns how many events were published.
 */
export async function backfillEvents(db: Database, delivery: DeliveryOptions): Promise<number> {
  let published = 0;
  await db.transaction(async (tx) => {
    for (const u of await tx.select().from(users).orderBy(users.registeredAt, users.id)) {
      const status = u.status as 'ACTIVE' | 'FROZEN' | 'ERASED';
      await publish(tx, usersOutbox, 'UserRegistered', { userId: u.id, status, registeredAt: u.registeredAt.toISOString(), ...(u.ageBand ? { ageBand: u.ageBand as '18_59' } : {}) }, u.registeredAt);
      if (u.householdId) await publish(tx, usersOutbox, 'HouseholdMemberJoined', { householdId: u.householdId, userId: u.id });
      published += u.householdId ? 2 : 1;
    }
    for (const m of await tx.select().from(merchants).orderBy(merchants.id)) {
      const status = m.status as 'ACTIVE' | 'SUSPENDED' | 'CLOSED';
      await publish(tx, merchantsOutbox, 'MerchantRegistered', { merchantId: m.id, name: m.name, category: m.category, status, settlementMinorPer100Points: m.settlementMinorPer100Points }, m.createdAt);
      published += 1;
    }
    for (const p of await tx.select().from(products).orderBy(products.sku)) {
      await publish(tx, merchantsOutbox, 'ProductListed', { sku: p.sku, merchantId: p.merchantId, name: p.name, priceMinor: p.priceMinor, category: p.category });
      published += 1;
    }
    for (const r of await tx.select().from(earnRules).orderBy(earnRules.merchantId, earnRules.version)) {
      const { merchantId, version, pointsPerYuan, pendingDays, perOrderCap, pointsValidDays } = r;
      const categoryOverrides = Object.entries(r.categoryPointsPerYuan).map(([category, rate]) => ({ category, pointsPerYuan: rate }));
      await publish(tx, merchantsOutbox, 'EarnRulePublished', { merchantId, version, pointsPerYuan, pendingDays, perOrderCap, effectiveFrom: r.effectiveFrom.toISOString(), categoryOverrides, pointsValidDays }, r.publishedAt);
      published += 1;
    }
    const unversioned = await tx
      .select()
      .from(greenProfiles)
      .where(notExists(tx.select().from(greenProfileVersions).where(eq(greenProfileVersions.sku, greenProfiles.sku))));
    for (const p of unversioned) {
      await tx.insert(greenProfileVersions).values({ ...p, effectiveFrom: ALWAYS });
      const { sku, version, category, greenPointsPerUnit, co2eGramsPerUnit, waterLitresPerUnit, plasticGramsPerUnit, factorKey, factorVersion } = p;
      await publish(tx, greenOutbox, 'GreenProfilePublished', { sku, version, category, greenPointsPerUnit, co2eGramsPerUnit, waterLitresPerUnit, plasticGramsPerUnit, factorKey, factorVersion, effectiveFrom: ALWAYS.toISOString() });
      published += 1;
    }
  });
  await deliverEverything(db, delivery);
  return published;
}
