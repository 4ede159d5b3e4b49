import type { Executor } from '@greenpoints/db';
import { emissionFactors, greenActivities, greenProfiles, impactRecords } from '@greenpoints/db/schema/green';
import { and, asc, eq, gt, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { ImpactRow } from '../domain/report.ts';

export type ProfileRow = typeof greenProfiles.$inferSelect;
export type FactorRow = typeof emissionFactors.$inferSelect;
export type FactoredImpactRow = ImpactRow & { factorKey: string | null; factorVersion: number | null };

export interface ReportScope {
  userId?: string;
  merchantId?: string;
  from: Date;
  to: Date;
}

function scopeFilter(scope: ReportScope): SQL | undefined {
  return and(
    scope.userId ? eq(impactRecords.userId, scope.userId) : undefined,
    scope.merchantId ? eq(impactRecords.merchantId, scope.merchantId) : undefined,
    gte(impactRecords.occurredAt, scope.from),
    lt(impactRecords.occurredAt, scope.to),
  );
}

/** The UTC month of a record, as reports group it. */
const monthOf = () => sql<string>`to_char(${impactRecords.occurredAt} AT TIME ZONE 'UTC', 'YYYY-MM')`;

/** Distinct people behind each bucket of a report: per category, per month, and overall. */
export interface GroupSizes {
  total: number;
  byCategory: Map<string, number>;
  byMonth: Map<string, number>;
}

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
    factors: () => db.select().from(emissionFactors).orderBy(asc(emissionFactors.key), asc(emissionFactors.version)),
    /**
     * Sums per (category, UTC month, factor version): one grouped query, whatever the number of
     * records; the factor columns tell which factor versions the report rests on.
     */
    reportRows: async (scope: ReportScope): Promise<FactoredImpactRow[]> => {
      const month = monthOf();
      const rows = await db
        .select({
          category: impactRecords.category,
          month,
          co2eGrams: sql<number>`sum(${impactRecords.co2eGrams})`.mapWith(Number),
          waterLitres: sql<number>`sum(${impactRecords.waterLitres})`.mapWith(Number),
          plasticGrams: sql<number>`sum(${impactRecords.plasticGrams})`.mapWith(Number),
          greenPoints: sql<number>`sum(${impactRecords.greenPoints})`.mapWith(Number),
          records: sql<number>`count(*)`.mapWith(Number),
          factorKey: impactRecords.factorKey,
          factorVersion: impactRecords.factorVersion,
        })
        .from(impactRecords)
        .where(scopeFilter(scope))
        .groupBy(impactRecords.category, month, impactRecords.factorKey, impactRecords.factorVersion);
      return rows;
    },
    /**
     * Counts distinct people per category, per month and overall in one pass (GROUPING SETS):
     * distinct counts do not add up across buckets, so each level is counted on its own.
     */
    groupSizes: async (scope: ReportScope): Promise<GroupSizes> => {
      const month = monthOf();
      const rows = await db
        .select({
          category: sql<string | null>`${impactRecords.category}`,
          month: sql<string | null>`${month}`,
          people: sql<number>`count(DISTINCT ${impactRecords.userId})`.mapWith(Number),
        })
        .from(impactRecords)
        .where(scopeFilter(scope))
        .groupBy(sql`GROUPING SETS ((${impactRecords.category}), (${month}), ())`);
      const sizes: GroupSizes = { total: 0, byCategory: new Map(), byMonth: new Map() };
      for (const row of rows) {
        // category and month are NOT NULL columns, so a null here marks the level being counted.
        if (row.category !== null) sizes.byCategory.set(row.category, row.people);
        else if (row.month !== null) sizes.byMonth.set(row.month, row.people);
        else sizes.total = row.people;
      }
      return sizes;
    },
  };
}
export type GreenRepository = ReturnType<typeof createGreenRepository>;
