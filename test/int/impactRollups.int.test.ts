// Proves the reports' daily rollup of impact records stays exact (the seed, concurrent writers, a rebuild), that records stay append-only, and that its people counts decide k-anonymity as exact distinct counts would.
import { randomUUID } from 'node:crypto';
import { cellKey, sizeBounds, unsettledBuckets } from '@greenpoints/green-impact/domain/groupSizes';
import { createReportRepository } from '@greenpoints/green-impact/repositories/reportRepository';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.drop());

/** Every rollup row recomputed from the records, and every difference in either direction. */
async function rollupDrift() {
  const sums = await t.sql`
    WITH expected AS (
      SELECT o.owner, (r.recorded_at AT TIME ZONE 'UTC')::date AS day, r.category, coalesce(r.factor_key, '') AS factor_key, coalesce(r.factor_version, 0) AS factor_version,
             sum(r.co2e_grams) AS co2e_grams, sum(r.water_litres) AS water_litres, sum(r.plastic_grams) AS plastic_grams, sum(r.green_points) AS green_points, count(*) AS records
      FROM green.impact_records r CROSS JOIN LATERAL (VALUES ('platform'), (r.merchant_id::text)) AS o(owner) WHERE o.owner IS NOT NULL GROUP BY 1, 2, 3, 4, 5),
    actual AS (SELECT owner, day, category, factor_key, factor_version, co2e_grams::numeric, water_litres::numeric, plastic_grams::numeric, green_points::numeric, records FROM green.impact_daily)
    (SELECT 'missing' AS drift, * FROM (SELECT * FROM expected EXCEPT SELECT * FROM actual) a)
    UNION ALL (SELECT 'extra', * FROM (SELECT * FROM actual EXCEPT SELECT * FROM expected) b)`;
  const people = await t.sql`
    WITH expected AS (
      SELECT o.owner, r.category, (r.recorded_at AT TIME ZONE 'UTC')::date AS day, count(DISTINCT r.user_id)::int AS people
      FROM green.impact_records r CROSS JOIN LATERAL (VALUES ('platform'), (r.merchant_id::text)) AS o(owner) WHERE o.owner IS NOT NULL GROUP BY 1, 2, 3),
    actual AS (SELECT owner, category, day, people FROM green.impact_day_people)
    (SELECT 'missing' AS drift, * FROM (SELECT * FROM expected EXCEPT SELECT * FROM actual) a)
    UNION ALL (SELECT 'extra', * FROM (SELECT * FROM actual EXCEPT SELECT * FROM expected) b)`;
  return { sums: sums.length, people: people.length };
}

const record = (o: { userId: string; merchantId: string | null; category: string; occurredAt: Date; co2e: number }) => ({
  id: randomUUID(),
  source_ref: `test:${randomUUID()}`,
  user_id: o.userId,
  merchant_id: o.merchantId,
  sku: null,
  category: o.category,
  quantity: 1,
  co2e_grams: o.co2e,
  water_litres: 1,
  plastic_grams: 2,
  green_points: 3,
  factor_key: null,
  factor_version: null,
  profile_version: null,
  reverses_id: null,
  occurred_at: o.occurredAt,
  recorded_at: o.occurredAt,
});

describe('impact rollups', () => {
  it('hold exactly what the seeded records sum to', async () => {
    const [{ n }] = (await t.sql`SELECT count(*)::int AS n FROM green.impact_daily`) as unknown as [{ n: number }];
    expect(n).toBeGreaterThan(0);
    expect(await rollupDrift()).toEqual({ sums: 0, people: 0 });
  });

  it('stay exact, and never deadlock, when 40 writers add records for the same people, days and merchants at once', async () => {
    const [m] = await t.sql`SELECT DISTINCT merchant_id FROM green.impact_records WHERE merchant_id IS NOT NULL LIMIT 1`;
    const merchantId = m!['merchant_id'] as string;
    const users = Array.from({ length: 5 }, () => randomUUID());
    const days = [new Date('2026-03-01T10:00:00Z'), new Date('2026-03-01T23:59:59Z'), new Date('2026-03-02T00:00:00Z')];
    // Each writer its own transaction on its own connection: the same person on the same day in many of them.
    const writers = postgres(t.url, { max: 40, onnotice: () => {} });
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          writers.begin(async (tx) => {
            // Two statements, days in opposite orders in alternate writers, as a consumer's batch inserts event by event.
            const order = i % 2 ? [0, 1, 2] : [2, 1, 0];
            for (const d of order) {
              const rows = [0, 1].map((j) => record({ userId: users[(i + j) % users.length]!, merchantId: i % 3 === 0 ? null : merchantId, category: (i + j) % 2 ? 'ENERGY' : 'WATER', occurredAt: days[d]!, co2e: 100 + i }));
              await tx`INSERT INTO green.impact_records SELECT * FROM jsonb_populate_recordset(null::green.impact_records, ${tx.json(rows as never)})`;
              await tx`SELECT pg_sleep(0.01)`;
            }
          }),
        ),
      );
    } finally {
      await writers.end();
    }
    expect(await rollupDrift()).toEqual({ sums: 0, people: 0 });
    const [day] = await t.sql`SELECT people FROM green.impact_day_people WHERE owner = 'platform' AND category = 'ENERGY' AND day = '2026-03-01'`;
    const [distinct] = await t.sql`SELECT count(DISTINCT user_id)::int AS n FROM green.impact_records WHERE category = 'ENERGY' AND recorded_at >= '2026-03-01' AND recorded_at < '2026-03-02'`;
    expect(day!['people']).toBe(distinct!['n']);
  });

  it('refuses to change or delete a record, so the sums cannot drift from them', async () => {
    await expect(t.sql`UPDATE green.impact_records SET co2e_grams = co2e_grams + 1 WHERE id = (SELECT id FROM green.impact_records LIMIT 1)`).rejects.toThrow(/append-only/);
    await expect(t.sql`DELETE FROM green.impact_records WHERE id = (SELECT id FROM green.impact_records LIMIT 1)`).rejects.toThrow(/append-only/);
    expect(await rollupDrift()).toEqual({ sums: 0, people: 0 });
  });

  it('decide "fewer than k people?" for every month × category cell and the total exactly as distinct counts over the records do', async () => {
    const reports = createReportRepository(t.handle.db);
    const owners = ['platform', ...(await t.sql`SELECT DISTINCT merchant_id::text AS id FROM green.impact_records WHERE merchant_id IS NOT NULL`).map((r) => r['id'] as string)];
    const periods = [
      { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2099-01-01T00:00:00Z') },
      { from: new Date(Date.now() - 40 * 86_400_000), to: new Date(Date.now() + 86_400_000) },
      { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') },
    ].map((p) => ({ from: new Date(p.from.toISOString().slice(0, 10)), to: new Date(p.to.toISOString().slice(0, 10)) }));
    let compared = 0;
    let open = 0;
    for (const { from, to } of periods) {
      const days = await t.sql`SELECT owner, category, to_char(day, 'YYYY-MM-DD') AS day, people FROM green.impact_day_people WHERE owner = 'platform' AND day >= ${from} AND day < ${to}`;
      const exact = await t.sql`
        SELECT o.owner, r.category, to_char(r.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(DISTINCT r.user_id)::int AS people
        FROM green.impact_records r CROSS JOIN LATERAL (VALUES ('platform'), (r.merchant_id::text)) AS o(owner)
        WHERE o.owner IS NOT NULL AND r.recorded_at >= ${from} AND r.recorded_at < ${to}
        GROUP BY GROUPING SETS ((1, 2, 3), (1))`;
      for (const k of [2, 3, 5, 10, 50]) {
        open += unsettledBuckets(sizeBounds(days as never), k, from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)).length;
        const sizes = await reports.groupSizes(owners, from, to, k);
        for (const row of exact) {
          const s = sizes.get(row['owner'] as string);
          const size = row['category'] !== null ? s?.byCell.get(cellKey(row['month'] as string, row['category'] as string)) : s?.total;
          expect(size, `${row['owner']} ${row['category'] !== null ? `${row['month']} ${row['category']}` : 'total'} k=${k}`).toBeDefined();
          expect(size! < k).toBe((row['people'] as number) < k);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(open, 'some buckets needed an exact count').toBeGreaterThan(0);
  });

  it('empty with the records and come back exact when the records are rebuilt', async () => {
    await t.sql.begin(async (tx) => {
      await tx`CREATE TEMP TABLE keep AS SELECT * FROM green.impact_records`;
      await tx`TRUNCATE green.impact_records`;
      const [{ n }] = (await tx`SELECT (SELECT count(*) FROM green.impact_daily) + (SELECT count(*) FROM green.impact_day_people) + (SELECT count(*) FROM green.impact_day_members) AS n`) as unknown as [{ n: string }];
      expect(Number(n)).toBe(0);
      // Reversals point at their originals: originals first.
      await tx`INSERT INTO green.impact_records SELECT * FROM keep WHERE reverses_id IS NULL`;
      await tx`INSERT INTO green.impact_records SELECT * FROM keep WHERE reverses_id IS NOT NULL`;
    });
    expect(await rollupDrift()).toEqual({ sums: 0, people: 0 });
  });
});
