import { queryRows, type Executor } from '@greenpoints/db';
import { impactRecords } from '@greenpoints/db/schema/green';
import { sql } from 'drizzle-orm';
import type { ImpactGroupRow, ImpactLevel } from '../domain/analytics.ts';

/** GROUPING(category, month) as a bit mask: which grouping set a row belongs to. */
const LEVELS: Record<number, ImpactLevel> = { 0: 'cell', 1: 'category', 2: 'month', 3: 'total' };

/**
 * Read-side aggregates of impact records for analysts: one grouped query (GROUPING SETS), each row a
 * sum over a group with its distinct people; never a record or a person. Built as the reports over
 * many people are: a record counts in the UTC month it was recorded in, only published months (up
 * to `until`), and only month × category cells of at least `k` people, so what analysts see and what
 * the reports show can be subtracted from each other without isolating anyone.
 */
export function createAnalyticsRepository(db: Executor) {
  return {
    impactGroups: async (k: number, until: Date): Promise<ImpactGroupRow[]> => {
      const r = impactRecords;
      const rows = await queryRows<{ category: string | null; month: string | null; grouping: number; co2e: string; water: string; plastic: string; points: string; records: number; people: number }>(
        db,
        sql`
        WITH r AS (
          SELECT ${r.category} AS category, to_char(${r.recordedAt} AT TIME ZONE 'UTC', 'YYYY-MM') AS month, ${r.userId} AS user_id,
                 ${r.co2eGrams} AS co2e, ${r.waterLitres} AS water, ${r.plasticGrams} AS plastic, ${r.greenPoints} AS points
          FROM ${r} WHERE ${r.recordedAt} < ${until.toISOString()}::timestamptz),
        cells AS (SELECT category, month FROM r GROUP BY 1, 2 HAVING count(DISTINCT user_id) >= ${k})
        SELECT r.category, r.month, GROUPING(r.category, r.month)::int AS grouping,
               sum(r.co2e) AS co2e, sum(r.water) AS water, sum(r.plastic) AS plastic, sum(r.points) AS points,
               count(*)::int AS records, count(DISTINCT r.user_id)::int AS people
        FROM r JOIN cells USING (category, month)
        GROUP BY GROUPING SETS ((r.category, r.month), (r.category), (r.month), ())`,
      );
      return rows.map((x) => ({
        category: x.category,
        month: x.month,
        level: LEVELS[Number(x.grouping)] ?? 'cell',
        co2eGrams: Number(x.co2e),
        waterLitres: Number(x.water),
        plasticGrams: Number(x.plastic),
        greenPoints: Number(x.points),
        records: Number(x.records),
        people: Number(x.people),
      }));
    },
  };
}
export type AnalyticsRepository = ReturnType<typeof createAnalyticsRepository>;
