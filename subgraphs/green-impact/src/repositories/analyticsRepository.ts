import type { Executor } from '@greenpoints/db';
import { impactRecords } from '@greenpoints/db/schema/green';
import { sql } from 'drizzle-orm';
import type { ImpactGroupRow, ImpactLevel } from '../domain/analytics.ts';

/** The UTC month of a record. Literal SQL, so GROUP BY and SELECT match textually. */
const month = sql`to_char(${impactRecords.occurredAt} AT TIME ZONE 'UTC', 'YYYY-MM')`;

/** GROUPING(category, month) as a bit mask: which grouping set a row belongs to. */
const LEVELS: Record<number, ImpactLevel> = { 0: 'cell', 1: 'category', 2: 'month', 3: 'total' };

/**
 * Read-side aggregates of impact records for analysts: one grouped query (GROUPING SETS) over all
 * history, each row a sum over a group with its distinct people; never a record or a person.
 */
export function createAnalyticsRepository(db: Executor) {
  return {
    impactGroups: async (): Promise<ImpactGroupRow[]> => {
      const rows = await db
        .select({
          category: sql<string | null>`${impactRecords.category}`,
          month: sql<string | null>`${month}`,
          grouping: sql<number>`GROUPING(${impactRecords.category}, ${month})`.mapWith(Number),
          co2eGrams: sql<number>`sum(${impactRecords.co2eGrams})`.mapWith(Number),
          waterLitres: sql<number>`sum(${impactRecords.waterLitres})`.mapWith(Number),
          plasticGrams: sql<number>`sum(${impactRecords.plasticGrams})`.mapWith(Number),
          greenPoints: sql<number>`sum(${impactRecords.greenPoints})`.mapWith(Number),
          records: sql<number>`count(*)`.mapWith(Number),
          people: sql<number>`count(DISTINCT ${impactRecords.userId})`.mapWith(Number),
        })
        .from(impactRecords)
        .groupBy(sql`GROUPING SETS ((${impactRecords.category}, ${month}), (${impactRecords.category}), (${month}), ())`);
      return rows.map(({ grouping, ...r }) => ({ ...r, level: LEVELS[grouping] ?? 'cell' }));
    },
  };
}
export type AnalyticsRepository = ReturnType<typeof createAnalyticsRepository>;
