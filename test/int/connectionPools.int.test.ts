// Proves statements outside transactions run on their own small pool (pipelined on a few connections) while transactions get the main pool, that a committed write is visible to the next read on either, and that many concurrent readers and writers finish with the right totals.
import { connect, queryRows, type DbHandle } from '@greenpoints/db';
import { eq, sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
const docs = pgTable('pool_docs', { id: integer('id').primaryKey(), doc: jsonb('doc').notNull(), at: timestamp('at', { withTimezone: true }).notNull() });
let handle: DbHandle;

const pid = async (db: DbHandle['db']) => (await queryRows<{ pid: number }>(db, sql`SELECT pg_backend_pid() AS pid`))[0]!.pid;

beforeAll(async () => {
  t = await freshDatabase();
  handle = await connect({ databaseUrl: t.url, poolMax: 8, autocommitPoolMax: 2 });
  await handle.db.execute(sql`CREATE TABLE pool_probe (id int PRIMARY KEY, n int NOT NULL)`);
  await handle.db.execute(sql`INSERT INTO pool_probe VALUES (1, 0)`);
  await handle.db.execute(sql`CREATE TABLE pool_docs (id int PRIMARY KEY, doc jsonb NOT NULL, at timestamptz NOT NULL)`);
});
afterAll(async () => {
  await handle?.close();
  await t?.drop();
});

describe('two pools: statements outside transactions, and transactions', () => {
  it('runs 60 concurrent statements outside transactions on at most 2 connections, and 12 concurrent transactions on others', async () => {
    const outside = new Set(await Promise.all(Array.from({ length: 60 }, () => pid(handle.db))));
    expect(outside.size).toBeGreaterThanOrEqual(1);
    expect(outside.size).toBeLessThanOrEqual(2);
    const inside = new Set(
      await Promise.all(
        Array.from({ length: 12 }, () =>
          handle.db.transaction(async (tx) => {
            await tx.execute(sql`SELECT pg_sleep(0.05)`);
            return pid(tx);
          }),
        ),
      ),
    );
    // Transactions hold their connection while they sleep, so they spread over the main pool.
    expect(inside.size).toBeGreaterThan(2);
    for (const p of inside) expect(outside.has(p)).toBe(false);
  });

  it('lets every statement see what a transaction committed before it, and counts 40 concurrent increments exactly', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? handle.db.transaction(async (tx) => {
              await tx.execute(sql`UPDATE pool_probe SET n = n + 1 WHERE id = 1`);
            })
          : handle.db.execute(sql`UPDATE pool_probe SET n = n + 1 WHERE id = 1`),
      ),
    );
    const [row] = await queryRows<{ n: number }>(handle.db, sql`SELECT n FROM pool_probe WHERE id = 1`);
    expect(row!.n).toBe(40);
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE pool_probe SET n = 100 WHERE id = 1`);
    });
    expect((await queryRows<{ n: number }>(handle.db, sql`SELECT n FROM pool_probe WHERE id = 1`))[0]!.n).toBe(100);
  });

  it('writes and reads json and times the same way in both pools (drizzle configures each client)', async () => {
    const at = new Date('2026-12-06T08:30:00.123Z');
    await handle.db.insert(docs).values({ id: 1, doc: { merchantId: 'm-1', points: 5 }, at });
    await handle.db.transaction(async (tx) => {
      await tx.insert(docs).values({ id: 2, doc: { merchantId: 'm-2', points: 7 }, at });
    });
    const kinds = await queryRows<{ id: number; kind: string }>(handle.db, sql`SELECT id, jsonb_typeof(doc) AS kind FROM pool_docs ORDER BY id`);
    expect(kinds).toEqual([
      { id: 1, kind: 'object' },
      { id: 2, kind: 'object' },
    ]);
    const outside = await handle.db.select().from(docs).where(eq(docs.id, 2));
    const inside = await handle.db.transaction((tx) => tx.select().from(docs).where(eq(docs.id, 1)));
    expect(outside).toEqual([{ id: 2, doc: { merchantId: 'm-2', points: 7 }, at }]);
    expect(inside).toEqual([{ id: 1, doc: { merchantId: 'm-1', points: 5 }, at }]);
  });

  it('keeps one pool when the autocommit pool would not be smaller', async () => {
    const single = await connect({ databaseUrl: t.url, poolMax: 1, autocommitPoolMax: 3 });
    try {
      const outside = await pid(single.db);
      const inside = await single.db.transaction((tx) => pid(tx));
      expect(inside).toBe(outside);
    } finally {
      await single.close();
    }
  });
});
