// Proves the pass deciding merchants' shown cells over a period (reportRepository.merchantCells, on every cache miss) reads that period of recording by an index, not every impact record of all history.
import { createReportRepository } from '@greenpoints/green-impact/repositories/reportRepository';
import type { Executor } from '@greenpoints/db';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.drop());

describe('merchantCells over one month', () => {
  it('reads that month by an index, not every record of all history', async () => {
    const plans: string[] = [];
    await t.handle.db.transaction(async (tx) => {
      // With sequential scans priced out, a plan still scanning impact_records has no index to use.
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const explaining = new Proxy(tx, {
        get(target, prop, receiver) {
          if (prop !== 'execute') return Reflect.get(target, prop, receiver);
          return async (query: SQL) => {
            const rows = (await target.execute(sql`EXPLAIN ${query}`)) as unknown as { 'QUERY PLAN': string }[];
            plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
            return [];
          };
        },
      }) as unknown as Executor;
      await createReportRepository(explaining).merchantCells(new Date('2026-10-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z'), 10);
    });
    expect(plans).toHaveLength(1);
    expect(plans[0]).not.toMatch(/Seq Scan on impact_records/);
    const indexes = await t.sql`SELECT indexname FROM pg_indexes WHERE schemaname = 'green' AND tablename = 'impact_records' AND indexdef LIKE '%recorded_at%'`;
    expect(indexes.map((i) => i['indexname']), 'an index on impact_records(recorded_at)').not.toEqual([]);
  });
});
