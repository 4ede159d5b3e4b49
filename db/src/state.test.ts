// Proves inState writes only a state name into a statement's text, never a parameter and never anything else.
import { pgTable, text } from 'drizzle-orm/pg-core';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { inState } from './state.ts';

const things = pgTable('things', { status: text('status').notNull() });
const dialect = new PgDialect();

describe('inState', () => {
  it('writes the state into the statement, not as a parameter', () => {
    const query = dialect.sqlToQuery(inState(things.status, 'PENDING'));
    expect(query.sql).toBe(`"things"."status" = 'PENDING'`);
    expect(query.params).toEqual([]);
  });

  it.each(["PENDING' OR 'x' = 'x", 'pending', '', 'A'.repeat(65), 'HELD;'])('refuses %j: only a state name goes into the text', (value) => {
    expect(() => inState(things.status, value)).toThrow(/not a state name/);
  });
});
