import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './client.ts';

/** What drizzle's query builders offer: `.prepare(name)`, whose `execute` fills `sql.placeholder`s. */
interface Preparable<R> {
  prepare(name: string): { execute(values?: Record<string, unknown>): Promise<R> };
}

/**
 * What drizzle keeps in a prepared query, and what its session's `prepareQuery` takes to make the
 * same query for another handle: the statement's text and parameter slots (placeholders), how rows
 * map to fields. Read from the first query built; checked, and when drizzle's shape changes the
 * statement is built per handle as before (slower, never wrong).
 */
interface BuiltQuery {
  queryString: string;
  params: unknown[];
  fields?: unknown;
  _isResponseInArrayMode?: boolean;
  customResultMapper?: unknown;
  joinsNotNullableMap?: unknown;
  queryMetadata?: unknown;
  cacheConfig?: unknown;
}

interface SessionOf {
  session?: {
    prepareQuery(query: { sql: string; params: unknown[] }, fields: unknown, name: string, isResponseInArrayMode: boolean, customResultMapper?: unknown, queryMetadata?: unknown, cacheConfig?: unknown): unknown;
  };
}

function builtQuery(query: unknown): BuiltQuery | undefined {
  const q = query as Partial<BuiltQuery> | null;
  return q && typeof q.queryString === 'string' && Array.isArray(q.params) ? (q as BuiltQuery) : undefined;
}

/**
 * A statement drizzle builds once per process, then runs on any handle with each call's values (the
 * builder uses `sql.placeholder(name)` where values go). Otherwise drizzle builds a statement's text
 * from its query objects on every call: 35–60 µs of CPU for a small read on this machine in a loop,
 * and with the results' mapping a fifth of the ledger's CPU on the home query. A handle is the pool
 * or one transaction: the text built on the first is bound to each new one through its session's
 * `prepareQuery` (what drizzle's own `.prepare` calls), so a write path that opens a transaction per
 * request builds nothing either. A list of ids goes in as one array parameter (`= ANY(...::uuid[])`),
 * so any length is one statement.
 */
export function prepared<R, V extends Record<string, unknown>>(name: string, build: (db: Executor) => Preparable<R>): (db: Executor, values: V) => Promise<R> {
  const byHandle = new WeakMap<Executor, ReturnType<Preparable<R>['prepare']>>();
  let template: BuiltQuery | undefined;
  const bind = (db: Executor): ReturnType<Preparable<R>['prepare']> => {
    const session = (db as unknown as SessionOf).session;
    if (template && session) {
      const query = session.prepareQuery(
        { sql: template.queryString, params: template.params },
        template.fields,
        name,
        template._isResponseInArrayMode ?? false,
        template.customResultMapper,
        template.queryMetadata,
        template.cacheConfig,
      ) as ReturnType<Preparable<R>['prepare']> & { joinsNotNullableMap?: unknown };
      query.joinsNotNullableMap = template.joinsNotNullableMap;
      return query;
    }
    const query = build(db).prepare(name);
    template = builtQuery(query);
    return query;
  };
  return (db, values) =>
    new Deferred(() => {
      let query = byHandle.get(db);
      if (!query) {
        query = bind(db);
        byHandle.set(db, query);
      }
      return query.execute(values);
    });
}

/**
 * A statement that starts when it is first awaited, as drizzle's query builders do. Statements
 * wrapped in `send` inside one `Promise.all` go out in the array's order whichever kind they are: one
 * that started when called would overtake the builders listed before it (a posting before the
 * transaction it belongs to).
 */
class Deferred<R> implements Promise<R> {
  readonly [Symbol.toStringTag] = 'Deferred';
  #started: Promise<R> | undefined;
  constructor(private readonly start: () => Promise<R>) {}
  #promise(): Promise<R> {
    return (this.#started ??= this.start());
  }
  then<A = R, B = never>(onFulfilled?: ((value: R) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.#promise().then(onFulfilled, onRejected);
  }
  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<R | B> {
    return this.#promise().catch(onRejected);
  }
  finally(onFinally?: (() => void) | null): Promise<R> {
    return this.#promise().finally(onFinally);
  }
}

/**
 * `column = ANY($ids::uuid[])`: the `ids` placeholder of a `prepared` statement, one array whatever
 * its length (`text` for columns that hold other ids, such as an account's owner).
 */
export function inIds(column: AnyColumn, type: 'uuid' | 'text' = 'uuid'): SQL {
  return sql`${column} = ANY(${sql.placeholder('ids')}::${sql.raw(type)}[])`;
}

/** Row counts up to this get an insert statement of their own shape; larger batches are built per call. */
const PREPARED_ROWS_MAX = 8;

/**
 * An INSERT of `columns` into `table`, `prepared` once per number of rows (up to 8: the writes a
 * request makes, such as a purchase's postings; a larger batch is built per call). Every row must
 * give every column, `null` for none: a missing one throws rather than writing a default by accident.
 */
export function preparedInsert<T extends PgTable>(
  name: string,
  table: T,
  columns: readonly (keyof T['$inferInsert'] & string)[],
): (db: Executor, rows: readonly T['$inferInsert'][]) => Promise<unknown> {
  const byCount: ((db: Executor, values: Record<string, unknown>) => Promise<unknown>)[] = [];
  const shape = (count: number) =>
    (byCount[count] ??= prepared(`${name}_${count}`, (db) =>
      db.insert(table).values(Array.from({ length: count }, (_, i) => Object.fromEntries(columns.map((c) => [c, sql.placeholder(`${c}_${i}`)]))) as T['$inferInsert'][]),
    ));
  // Not async: what it returns starts when awaited, like a builder (see Deferred).
  return (db, rows) => {
    if (rows.length === 0) return Promise.resolve();
    if (rows.length > PREPARED_ROWS_MAX) return db.insert(table).values([...rows]);
    const values: Record<string, unknown> = {};
    for (const [i, row] of rows.entries()) {
      for (const c of columns) {
        const value = (row as Record<string, unknown>)[c];
        if (value === undefined) return Promise.reject(new Error(`preparedInsert ${name}: row ${i} has no ${c}`));
        values[`${c}_${i}`] = value;
      }
    }
    return shape(rows.length)(db, values);
  };
}
