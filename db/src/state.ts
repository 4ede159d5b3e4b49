import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

const STATE = /^[A-Z][A-Z_]{0,63}$/;

/**
 * `column = 'STATE'`, the state written into the statement's text instead of sent as a parameter.
 * Statements are prepared, and PostgreSQL may plan a prepared statement once for all its values (a
 * generic plan); such a plan can use a partial index (`WHERE status = 'PENDING'`) only when the
 * predicate's value is in the text. For the fixed states of a state machine only, never for input:
 * anything but an upper-case word is refused.
 */
export function inState(column: AnyColumn, state: string): SQL {
  if (!STATE.test(state)) throw new Error(`inState: '${state}' is not a state name`);
  return sql`${column} = ${sql.raw(`'${state}'`)}`;
}
