// Proves drizzle's statements reach PostgreSQL as named prepared statements (outside and inside transactions) planned generically only where no partial index depends on a parameter, that bulk writes and `prepare: false` stay unnamed, and that answers are unchanged.
import { randomUUID } from 'node:crypto';
import { connect, inIds, prepared, queryRows, type Database, type DbHandle } from '@greenpoints/db';
import { claimHeads } from '@greenpoints/events/consumer/applyBatch';
import { ledgerConsumer } from '@greenpoints/ledger/consumers/index';
import { recoverRedemptions } from '@greenpoints/ledger/operations/redeemReward';
import { createUsersRepository } from '@greenpoints/users/repositories/usersRepository';
import { createReportRepository } from '@greenpoints/green-impact/repositories/reportRepository';
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

  it('builds a `prepared` statement once and runs it in each transaction with that transaction’s view, concurrently', async () => {
    const handle = await connect({ databaseUrl: t.url, poolMax: 4 });
    opened.push(handle);
    let builds = 0;
    const names = prepared('test_user_names', (db) => {
      builds += 1;
      return db.select({ id: users.id, name: users.displayName }).from(users).where(inIds(users.id));
    });
    const people = await t.sql<{ id: string; display_name: string }[]>`SELECT id, display_name FROM users.users ORDER BY id LIMIT 12`;
    // Twelve transactions at once, each renaming its own user and reading all twelve: each sees its
    // own rename, others' only once committed; half roll back.
    await Promise.all(
      people.map((p, i) =>
        handle.db
          .transaction(async (tx) => {
            await tx.update(users).set({ displayName: `Renamed ${i}` }).where(eq(users.id, p.id));
            const seen = new Map((await names(tx, { ids: people.map((q) => q.id) })).map((r) => [r.id, r.name]));
            expect(seen.get(p.id)).toBe(`Renamed ${i}`);
            // Others' renames only once committed (the even ones); a rolled-back one never.
            people.forEach((q, j) => {
              if (j !== i) expect([q.display_name, ...(j % 2 === 0 ? [`Renamed ${j}`] : [])]).toContain(seen.get(q.id));
            });
            if (i % 2 === 1) throw new Error('roll back');
          })
          .catch((error: unknown) => {
            if (!(error instanceof Error && error.message === 'roll back')) throw error;
          }),
      ),
    );
    const after = new Map((await names(handle.db, { ids: people.map((q) => q.id) })).map((r) => [r.id, r.name]));
    expect(people.map((q) => after.get(q.id))).toEqual(people.map((q, i) => (i % 2 === 0 ? `Renamed ${i}` : q.display_name)));
    expect(builds).toBe(1);
    await Promise.all(people.map((p) => t.sql`UPDATE users.users SET display_name = ${p.display_name} WHERE id = ${p.id}`));
  });

  it('leaves plans to PostgreSQL: after five calls a prepared statement may keep one generic plan', async () => {
    const handle = await single();
    const [row] = await queryRows<{ plan_cache_mode: string }>(handle.db, sql`SHOW plan_cache_mode`);
    expect(row!.plan_cache_mode).toBe('auto');
  });

  // A generic plan is made without the parameters' values: `status = $1` could not use an index
  // built WHERE status = 'PENDING'. Each statement that relies on a partial index is sent by the
  // code under test, then planned generically on the same connection, with sequential scans off so
  // that only an index that cannot be used shows up as a scan.
  it.each([
    {
      what: "the events consumer's claim of pending inbox rows",
      index: /ledger_inbox_pending(_id)?_idx/,
      text: 'from "ledger"."inbox"',
      run: (db: Database) => db.transaction((tx) => claimHeads(tx, ledgerConsumer, 10)),
    },
    {
      what: "the redemptions' recovery pass over HELD holds",
      index: /redemptions_held_idx/,
      text: '"status" = \'HELD\'',
      run: (db: Database) => recoverRedemptions({ db, merchants: undefined }),
    },
    {
      what: "a household's pending invitations",
      index: /household_invitations_pending_key/,
      text: 'from "users"."household_invitations"',
      run: (db: Database) => createUsersRepository(db).pendingInvitationsOfHouseholds([randomUUID()]),
    },
  ])('$what can use its partial index with a generic plan', async ({ index, text, run }) => {
    const handle = await single();
    await run(handle.db);
    const [statement] = await queryRows<{ name: string; statement: string; parameter_types: string[] }>(
      handle.db,
      sql`SELECT name, statement, parameter_types::text[] AS parameter_types FROM pg_prepared_statements WHERE statement LIKE ${`%${text}%`} AND from_sql = false`,
    );
    expect(statement, `no prepared statement mentions ${text}`).toBeDefined();
    const args = statement!.parameter_types.map((type) => `NULL::${type}`).join(', ');
    await handle.db.execute(sql`SET plan_cache_mode = force_generic_plan`);
    await handle.db.execute(sql`SET enable_seqscan = off`);
    const plan = await queryRows<{ 'QUERY PLAN': string }>(handle.db, sql.raw(`EXPLAIN EXECUTE "${statement!.name}"${args ? `(${args})` : ''}`));
    const lines = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(lines).toMatch(index);
  });

  // Not a partial index, the same trap: with the user as `= ANY($1)` and the period as parameters,
  // the generic plan guessed the period selective and read every record in it by time.
  it("a user's green report plans generically on the user's (user, time) index, not on time alone", async () => {
    const handle = await single();
    const [someone] = await t.sql`SELECT user_id FROM green.impact_records LIMIT 1`;
    await createReportRepository(handle.db).rows('user', [someone!['user_id'] as string], new Date('2020-01-01'), new Date());
    const [statement] = await queryRows<{ name: string; parameter_types: string[] }>(
      handle.db,
      sql`SELECT name, parameter_types::text[] AS parameter_types FROM pg_prepared_statements WHERE statement LIKE '%from "green"."impact_records"%' AND from_sql = false`,
    );
    expect(statement, 'the report statement is prepared').toBeDefined();
    await handle.db.execute(sql`SET plan_cache_mode = force_generic_plan`);
    const plan = await queryRows<{ 'QUERY PLAN': string }>(
      handle.db,
      sql.raw(`EXPLAIN EXECUTE "${statement!.name}"(${statement!.parameter_types.map((type) => `NULL::${type}`).join(', ')})`),
    );
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/impact_records_user_occurred_idx/);
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
