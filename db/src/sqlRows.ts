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
