import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
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
  return (db, values) => {
    let query = byHandle.get(db);
    if (!query) {
      query = bind(db);
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
