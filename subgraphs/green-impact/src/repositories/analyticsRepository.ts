import { queryRows, type Executor } from '@greenpoints/db';
import { impactRecords } from '@greenpoints/db/schema/green';
import { sql } from 'drizzle-orm';
import { recordedMonth, restRule } from './cellRule.ts';
import type { ImpactGroupRow, ImpactLevel } from '../domain/analytics.ts';

/** GROUPING(category, month) as a bit mask: which grouping set a row belongs to. */
const LEVELS: Record<number, ImpactLevel> = { 0: 'cell', 1: 'category', 2: 'month', 3: 'total' };

/**
 * Read-side aggregates of impact records for analysts: one grouped query (GROUPING SETS), each row a
 * sum over a group with its distinct people; never a record or a person. Built as the reports over
 * many people are: a record counts in the UTC month it was recorded in, only published months (up
 * to `until`), only month × category cells of at least `k` people, and of those, where the cell's
 * rest beyond its merchants' cells of k or more holds 1 to k-1 people (or would, less one merchant's
 * part), only those merchants' part;
 * so what analysts see and what the reports show can be subtracted without isolating anyone.
 */
export function createAnalyticsRepository(db: Executor) {
  return {
    impactGroups: async (k: number, until: Date): Promise<ImpactGroupRow[]> => {
      const r = impactRecords;
      const rows = await queryRows<{ category: string | null; month: string | null; grouping: number; co2e: string; water: string; plastic: string; points: string; records: number; people: number }>(
        db,
        sql`
        WITH r AS MATERIALIZED (
          SELECT ${r.category} AS category, ${recordedMonth} AS month, coalesce(${r.merchantId}::text, '') AS merchant,
                 ${r.userId} AS user_id, ${r.co2eGrams} AS co2e, ${r.waterLitres} AS water, ${r.plasticGrams} AS plastic, ${r.greenPoints} AS points
          FROM ${r} WHERE ${r.recordedAt} < ${until.toISOString()}::timestamptz),
        cells AS (SELECT category, month FROM r GROUP BY 1, 2 HAVING count(DISTINCT user_id) >= ${k}),
        ${restRule(k)},
        -- A cell's rest beyond its large merchants' cells is left out when it holds 1 to k-1 people or
        -- when one merchant's part out of it would, as the platform's report leaves it out
        -- (kAnonymity.ts shownMerchantCells).
        unsafe AS (SELECT category, month FROM rest WHERE people < ${k} UNION SELECT category, month FROM exposed),
        kept AS (
          SELECT r.* FROM r JOIN cells USING (category, month)
          WHERE EXISTS (SELECT 1 FROM large l WHERE l.category = r.category AND l.month = r.month AND l.merchant = r.merchant)
             OR NOT EXISTS (SELECT 1 FROM unsafe u WHERE u.category = r.category AND u.month = r.month))
        SELECT category, month, GROUPING(category, month)::int AS grouping,
               sum(co2e) AS co2e, sum(water) AS water, sum(plastic) AS plastic, sum(points) AS points,
               count(*)::int AS records, count(DISTINCT user_id)::int AS people
        FROM kept
        GROUP BY GROUPING SETS ((category, month), (category), (month), ())`,
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
