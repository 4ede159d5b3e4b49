import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Executor } from './client.ts';

/** What drizzle's query builders offer: `.prepare(name)`, whose `execute` fills `sql.placeholder`s. */
interface Preparable<R> {
  prepare(name: string): { execute(values?: Record<string, unknown>): Promise<R> };
}

/**
 * A statement drizzle builds once per database handle, then runs with each call's values (the
 * builder uses `sql.placeholder(name)` where values go). Otherwise drizzle builds a statement's text
 * from its query objects on every call: 35–60 µs of CPU for a small read on this machine in a loop,
 * and with the results' mapping a fifth of the ledger's CPU on the home query. For the reads every
 * request makes; a handle here is the pool (or one transaction), so the cache holds a few entries.
 * A list of ids goes in as one array parameter (`= ANY(...::uuid[])`), so any length is one statement.
 */
export function prepared<R, V extends Record<string, unknown>>(name: string, build: (db: Executor) => Preparable<R>): (db: Executor, values: V) => Promise<R> {
  const byHandle = new WeakMap<Executor, ReturnType<Preparable<R>['prepare']>>();
  return (db, values) => {
    let query = byHandle.get(db);
    if (!query) {
      query = build(db).prepare(name);
      byHandle.set(db, query);
    }
    return query.execute(values);
  };
}

/**
 * `column = ANY($ids::uuid[])`: the `ids` placeholder of a `prepared` statement, one array whatever
 * its length (`text` for columns that hold other ids, such as an account's owner).
 */
export function inIds(column: AnyColumn, type: 'uuid' | 'text' = 'uuid'): SQL {
  return sql`${column} = ANY(${sql.placeholder('ids')}::${sql.raw(type)}[])`;
}
