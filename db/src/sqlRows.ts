import type { Executor } from '@greenpoints/db';
import type { SQL } from 'drizzle-orm';

/**
 * Runs raw SQL and returns its rows whichever driver is behind the database: postgres.js returns
 * an array, PGlite an object with `rows`.
 */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * Starts a query now rather than when something awaits it. Inside one transaction, statements
 * started in the same tick go out on its connection together, in the order they were started, and
 * come back in one round trip (postgres.js pipelines them); PGlite runs them one after another in
 * that same order. For writes that depend only on what is already known: wrap each element of a
 * `Promise.all` in `send` so that the order in the array is the order on the wire.
 */
export async function send<T>(query: PromiseLike<T>): Promise<T> {
  return await query;
}
