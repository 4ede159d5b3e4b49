import type postgres from 'postgres';

/**
 * The impact records an aggregate green report may sum, written out in SQL apart from the
 * production code (green-impact repositories/cellRule.ts) so tests check one against the other: a
 * `WITH … kept` clause whose `kept` holds the records (with `c` category, `m` month, `mer` merchant)
 * of month × category cells of at least k people, less a cell's rest beyond its merchants' cells of
 * k or more where that rest, or the rest less any one merchant's part, holds 1 to k-1 people.
 */
export function keptRecords(sql: postgres.Sql, o: { at: 'occurred_at' | 'recorded_at'; from: Date; to: Date; k: number }) {
  const { at, from, to, k } = o;
  return sql`
    WITH r AS (SELECT *, category AS c, to_char(${sql(at)} AT TIME ZONE 'UTC', 'YYYY-MM') AS m, coalesce(merchant_id::text, '') AS mer
               FROM green.impact_records WHERE ${sql(at)} >= ${from} AND ${sql(at)} < ${to}),
    cells AS (SELECT c, m FROM r GROUP BY 1, 2 HAVING count(DISTINCT user_id) >= ${k}),
    large AS (SELECT c, m, mer FROM r WHERE mer <> '' GROUP BY 1, 2, 3 HAVING count(DISTINCT user_id) >= ${k}),
    restr AS (SELECT * FROM r WHERE (c, m, mer) NOT IN (SELECT c, m, mer FROM large)),
    partial AS (SELECT c, m FROM restr GROUP BY 1, 2 HAVING count(DISTINCT user_id) < ${k}
                UNION SELECT o.c, o.m FROM (SELECT DISTINCT c, m, mer FROM restr) o
                WHERE (SELECT count(DISTINCT x.user_id) FROM restr x WHERE x.c = o.c AND x.m = o.m AND x.mer <> o.mer) BETWEEN 1 AND ${k} - 1),
    kept AS (SELECT r.* FROM r JOIN cells USING (c, m) WHERE (r.c, r.m) NOT IN (SELECT c, m FROM partial) OR (r.c, r.m, r.mer) IN (SELECT c, m, mer FROM large))`;
}
