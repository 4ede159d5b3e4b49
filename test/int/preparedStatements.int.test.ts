// Proves drizzle's statements reach PostgreSQL as named prepared statements (outside and inside transactions) still planned per call, that bulk writes and `prepare: false` stay unnamed, and that answers are unchanged.
import { connect, queryRows, type DbHandle } from '@greenpoints/db';
import { users } from '@greenpoints/db/schema/users';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';

let t: FreshDb;
const opened: DbHandle[] = [];

/** One connection, so the prepared statements it lists are the ones this handle made. */
async function single(prepare?: boolean): Promise<DbHandle> {
  const handle = await connect({ databaseUrl: t.url, poolMax: 1, ...(prepare === undefined ? {} : { prepare }) });
  opened.push(handle);
  return handle;
}

/**
 * The statements prepared on the handle's one connection, asked on that same connection, less the
 * one postgres.js prepares for itself when it connects (it reads the array types).
 */
async function preparedOn(handle: DbHandle): Promise<string[]> {
  const rows = await queryRows<{ statement: string }>(handle.db, sql`SELECT statement FROM pg_prepared_statements`);
  return rows.map((r) => r.statement).filter((s) => !s.includes('pg_catalog.pg_type'));
}

beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(async () => {
  for (const h of opened) await h.close();
  await t?.drop();
});

describe('prepared statements', () => {
  it('prepares a read with parameters once and answers it the same every time', async () => {
    const handle = await single();
    const [someone] = await t.sql`SELECT id, display_name FROM users.users ORDER BY id LIMIT 1`;
    const ask = () => handle.db.select({ id: users.id, name: users.displayName }).from(users).where(eq(users.id, someone!['id']));
    for (let i = 0; i < 3; i++) expect(await ask()).toEqual([{ id: someone!['id'], name: someone!['display_name'] }]);
    const statements = (await preparedOn(handle)).filter((s) => s.includes('"users"."users"'));
    expect(statements).toHaveLength(1);
  });

  it('prepares inside transactions and savepoints too, and rolls back as before', async () => {
    const handle = await single();
    const [someone] = await t.sql`SELECT id, display_name FROM users.users ORDER BY id LIMIT 1`;
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.update(users).set({ displayName: 'Renamed in a rolled-back transaction' }).where(eq(users.id, someone!['id']));
        await tx.transaction(async (inner) => {
          expect(await inner.select({ name: users.displayName }).from(users).where(eq(users.id, someone!['id']))).toEqual([{ name: 'Renamed in a rolled-back transaction' }]);
        });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const [after] = await t.sql`SELECT display_name FROM users.users WHERE id = ${someone!['id']}`;
    expect(after!['display_name']).toBe(someone!['display_name']);
    const statements = await preparedOn(handle);
    expect(statements.some((s) => s.startsWith('update "users"."users"'))).toBe(true);
    expect(statements.some((s) => s.startsWith('select "display_name" from "users"."users"'))).toBe(true);
  });

  it('plans every call with its values: a generic plan could not use a partial index behind a parameter (status = $1)', async () => {
    const handle = await single();
    const [row] = await queryRows<{ plan_cache_mode: string }>(handle.db, sql`SHOW plan_cache_mode`);
    expect(row!.plan_cache_mode).toBe('force_custom_plan');
  });

  it('leaves bulk statements (over 100 parameters) and a handle opened with prepare: false unnamed', async () => {
    const handle = await single();
    const ids = (await t.sql`SELECT id FROM users.users ORDER BY id LIMIT 150`).map((r) => r['id'] as string);
    expect(ids.length).toBeGreaterThan(100);
    expect(await handle.db.select({ id: users.id }).from(users).where(inArray(users.id, ids))).toHaveLength(ids.length);
    expect((await preparedOn(handle)).filter((s) => s.includes(' in ('))).toEqual([]);

    const unprepared = await single(false);
    await unprepared.db.select({ id: users.id }).from(users).where(eq(users.id, ids[0]!));
    expect(await preparedOn(unprepared)).toEqual([]);
  });
});
