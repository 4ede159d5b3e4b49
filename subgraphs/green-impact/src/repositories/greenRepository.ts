import { prepared, type Executor } from '@greenpoints/db';
import { emissionFactors, greenActivities, greenProfiles, impactRecords } from '@greenpoints/db/schema/green';
import { asc, eq, gt, inArray } from 'drizzle-orm';

export type ProfileRow = typeof greenProfiles.$inferSelect;
export type FactorRow = typeof emissionFactors.$inferSelect;

/** Every emission factor version: each report reads them, so the statement is built once. */
const allFactors = prepared('green_emission_factors', (db) => db.select().from(emissionFactors).orderBy(asc(emissionFactors.key), asc(emissionFactors.version)));

export function createGreenRepository(db: Executor) {
  return {
    /** Every impact record of one person, oldest first: their part of a data export. */
    impactRecordsOfUser: (userId: string) => db.select().from(impactRecords).where(eq(impactRecords.userId, userId)).orderBy(asc(impactRecords.occurredAt)),
    activity: async (id: string) => (await db.select().from(greenActivities).where(eq(greenActivities.id, id)).limit(1))[0],
    profilesBySkus: (skus: readonly string[]) => db.select().from(greenProfiles).where(inArray(greenProfiles.sku, [...skus])),
    listProfiles: (afterSku: string | undefined, limit: number) =>
      db
        .select()
        .from(greenProfiles)
        .where(afterSku ? gt(greenProfiles.sku, afterSku) : undefined)
        .orderBy(asc(greenProfiles.sku))
        .limit(limit),
    factors: () => allFactors(db, {}),
  };
}
export type GreenRepository = ReturnType<typeof createGreenRepository>;
