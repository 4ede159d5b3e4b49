// Proves a `prepared` statement is built once per process, whatever handle (pool or transaction) runs it, and answers each call with its own values, an empty and a long id list included, on the embedded PGlite (PostgreSQL: test/int/preparedStatements.int.test.ts).
import { sql } from 'drizzle-orm';
import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type DbHandle } from './client.ts';
import { inIds, prepared, preparedInsert } from './prepared.ts';
import { send } from './sqlRows.ts';

const things = pgTable('things', { id: uuid('id').primaryKey(), name: text('name').notNull() });
const parts = pgTable('parts', { thingId: uuid('thing_id').notNull(), label: text('label') });
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
let handle: DbHandle;

beforeAll(async () => {
  handle = await connect({ pgliteDataDir: 'memory://' });
  await handle.db.execute(sql`CREATE TABLE things (id uuid PRIMARY KEY, name text NOT NULL)`);
  await handle.db.execute(sql`CREATE TABLE parts (thing_id uuid NOT NULL REFERENCES things (id), label text)`);
  await handle.db.execute(sql.raw(`INSERT INTO things VALUES ${Array.from({ length: 300 }, (_, i) => `('${id(i)}', 'thing ${i}')`).join(', ')}`));
}, 60_000); // PGlite compiles its WebAssembly first: seconds, more on two busy cores
afterAll(() => handle?.close());

describe('prepared', () => {
  it('builds the statement once per handle and answers every call with its own ids', async () => {
    let builds = 0;
    const byIds = prepared('things_by_id', (db) => {
      builds += 1;
      return db.select().from(things).where(inIds(things.id)).orderBy(things.id);
    });
    expect(await byIds(handle.db, { ids: [id(3), id(1)] })).toEqual([{ id: id(1), name: 'thing 1' }, { id: id(3), name: 'thing 3' }]);
    expect(await byIds(handle.db, { ids: [] })).toEqual([]);
    const many = Array.from({ length: 250 }, (_, i) => id(i));
    expect((await byIds(handle.db, { ids: many })).map((r) => r.id)).toEqual(many);
    const concurrent = await Promise.all(Array.from({ length: 20 }, (_, i) => byIds(handle.db, { ids: [id(i)] })));
    concurrent.forEach((rows, i) => expect(rows).toEqual([{ id: id(i), name: `thing ${i}` }]));
    expect(builds).toBe(1);
    const byNames = prepared('things_by_name', (db) => db.select({ id: things.id }).from(things).where(inIds(things.name, 'text')));
    expect(await byNames(handle.db, { ids: ['thing 5', 'no such thing'] })).toEqual([{ id: id(5) }]);
  });

  it('builds once for every handle (a transaction is one), and each reads its own view', async () => {
    let builds = 0;
    const names = prepared('thing_names', (db) => {
      builds += 1;
      return db.select({ name: things.name }).from(things).where(inIds(things.id));
    });
    expect(await names(handle.db, { ids: [id(7)] })).toEqual([{ name: 'thing 7' }]);
    await handle.db
      .transaction(async (tx) => {
        await tx.update(things).set({ name: 'renamed inside' }).where(sql`${things.id} = ${id(7)}`);
        expect(await names(tx, { ids: [id(7)] })).toEqual([{ name: 'renamed inside' }]);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await names(handle.db, { ids: [id(7)] })).toEqual([{ name: 'thing 7' }]);
    await handle.db.transaction(async (tx) => {
      await tx.update(things).set({ name: 'renamed and kept' }).where(sql`${things.id} = ${id(8)}`);
      expect((await names(tx, { ids: [id(8), id(9)] })).map((r) => r.name).sort()).toEqual(['renamed and kept', 'thing 9']);
    });
    expect(await names(handle.db, { ids: [id(8)] })).toEqual([{ name: 'renamed and kept' }]);
    expect(builds).toBe(1);
  });

  it('maps rows the same when the statement was built on another handle (fields, dates, joins)', async () => {
    const joined = prepared('things_joined', (db) =>
      db
        .select({ id: things.id, name: things.name, other: sql<string>`upper(${things.name})`.as('other') })
        .from(things)
        .where(inIds(things.id))
        .orderBy(things.id),
    );
    const direct = await handle.db.transaction((tx) => joined(tx, { ids: [id(2), id(1)] }));
    expect(direct).toEqual([
      { id: id(1), name: 'thing 1', other: 'THING 1' },
      { id: id(2), name: 'thing 2', other: 'THING 2' },
    ]);
    expect(await joined(handle.db, { ids: [id(2), id(1)] })).toEqual(direct);
  });

  it('inserts any number of rows per shape, and keeps the order of statements sent together with builders', async () => {
    const insertParts = preparedInsert('parts_insert', parts, ['thingId', 'label']);
    const thing = (n: number) => ({ id: id(1000 + n), name: `new ${n}` });
    await handle.db.transaction(async (tx) => {
      // The parent by a builder, its children by a prepared insert listed after it, and the reverse:
      // each goes out after what it refers to.
      await Promise.all([send(tx.insert(things).values(thing(1))), send(insertParts(tx, [{ thingId: id(1001), label: 'a' }, { thingId: id(1001), label: null }]))]);
      const insertThing = preparedInsert('things_insert', things, ['id', 'name']);
      await Promise.all([send(insertThing(tx, [thing(2)])), send(tx.insert(parts).values({ thingId: id(1002), label: 'b' }))]);
      await insertParts(tx, Array.from({ length: 12 }, (_, i) => ({ thingId: id(1002), label: `many ${i}` })));
    });
    const rows = await handle.db.select().from(parts);
    expect(rows.filter((r) => r.thingId === id(1001)).map((r) => r.label)).toEqual(['a', null]);
    expect(rows.filter((r) => r.thingId === id(1002))).toHaveLength(13);
    await expect(insertParts(handle.db, [{ thingId: id(1001) } as never])).rejects.toThrow('row 0 has no label');
  });
});
