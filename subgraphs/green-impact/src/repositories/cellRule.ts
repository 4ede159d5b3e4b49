import { impactRecords } from '@greenpoints/db/schema/green';
import { sql, type SQL } from 'drizzle-orm';

/** The UTC month a record was recorded in: the month reports over many people count it in. */
export const recordedMonth = sql`to_char(${impactRecords.recordedAt} AT TIME ZONE 'UTC', 'YYYY-MM')`;

/**
 * The common-table expressions that decide a cell's rest (domain/kAnonymity.ts shownMerchantCells),
 * over a CTE `r` of (month, category, merchant: '' for none, user_id): `large`, each merchant cell of
 * at least k people; `rest`, per cell the people beyond them; `exposed`, the cells whose rest less
 * one merchant's part holds 1 to k-1 people. The rest is read by person (`ux`: the merchants each
 * holds records at), so "less one merchant" is one pass, not one per merchant.
 */
export const restRule = (k: number): SQL => sql`
  large AS (SELECT month, category, merchant, count(DISTINCT user_id)::int AS people FROM r WHERE merchant <> '' GROUP BY 1, 2, 3
            HAVING count(DISTINCT user_id) >= ${k}),
  ux AS MATERIALIZED (SELECT r.month, r.category, r.user_id, min(r.merchant) AS merchant, count(DISTINCT r.merchant) AS merchants FROM r
           WHERE NOT EXISTS (SELECT 1 FROM large l WHERE l.month = r.month AND l.category = r.category AND l.merchant = r.merchant) GROUP BY 1, 2, 3),
  rest AS (SELECT month, category, count(*)::int AS people FROM ux GROUP BY 1, 2),
  exposed AS (
    SELECT DISTINCT x.month, x.category FROM (SELECT month, category, merchant, count(*) AS n FROM ux WHERE merchants = 1 GROUP BY 1, 2, 3) x
    JOIN rest USING (month, category) WHERE rest.people - x.n > 0 AND rest.people - x.n < ${k})`;
