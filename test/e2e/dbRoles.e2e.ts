// Proves each subgraph runs as a Postgres role that can use only its own schema, and the graph still works through the gateway.
import { randomUUID } from 'node:crypto';
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import { connect, migrate, OWNED_SCHEMAS, roleDatabaseUrl, STATEMENT_TIMEOUT_MS, SUBGRAPH_ROLES, type OwnedSchema } from '@greenpoints/db';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

/** One table per schema that every role is tested against. */
const TABLE: Record<OwnedSchema, string> = {
  users: 'users.users',
  merchants: 'merchants.merchants',
  ledger: 'ledger.transactions',
  green: 'green.impact_records',
};

let t: TestStack;
const clients = new Map<OwnedSchema, postgres.Sql>();
const as = (schema: OwnedSchema) => clients.get(schema)!;

beforeAll(async () => {
  t = await startTestStack();
  for (const schema of OWNED_SCHEMAS) {
    clients.set(schema, postgres(roleDatabaseUrl(t.databaseUrl, schema), { max: 1, onnotice: () => {} }));
  }
});
afterAll(async () => {
  await Promise.all([...clients.values()].map((c) => c.end()));
  await t?.stop();
});

/** The SQLSTATE a statement fails with, or 'ok'. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (err) {
    return String((err as { code?: string }).code);
  }
}

describe('per-subgraph Postgres roles', () => {
  it('refuses the ledger role a read of users.users (permission denied)', async () => {
    expect(await outcome(() => as('ledger')`SELECT id FROM users.users LIMIT 1`)).toBe('42501');
  });

  it('refuses the users role any write to ledger tables', async () => {
    const insert = () =>
      as('users')`INSERT INTO ledger.transactions (id, type, idempotency_key, user_id, description) VALUES (${randomUUID()}, 'ADJUSTMENT', ${randomUUID()}, ${DEMO_CONSUMER_ID}, 'x')`;
    expect(await outcome(insert)).toBe('42501');
    expect(await outcome(() => as('users')`UPDATE ledger.accounts SET balance = balance + 1`)).toBe('42501');
    expect(await outcome(() => as('users')`DELETE FROM ledger.postings`)).toBe('42501');
  });

  it('lets each role read its own schema and no other', async () => {
    for (const role of OWNED_SCHEMAS) {
      for (const schema of OWNED_SCHEMAS) {
        const result = await outcome(() => as(role).unsafe(`SELECT 1 FROM ${TABLE[schema]} LIMIT 1`));
        expect({ role, schema, result }).toEqual({ role, schema, result: role === schema ? 'ok' : '42501' });
      }
    }
  });

  it('keeps the roles away from the migrations table and from other roles', async () => {
    expect(await outcome(() => as('ledger')`SELECT 1 FROM drizzle.__drizzle_migrations LIMIT 1`)).toBe('42501');
    // A login role is nobody's member: an injected set_config('role', …) cannot move it to another role.
    expect(await outcome(() => as('ledger')`SELECT set_config('role', ${SUBGRAPH_ROLES.users}, false)`)).toBe('42501');
    expect(await outcome(() => as('ledger')`SELECT set_config('role', 'postgres', false)`)).toBe('42501');
    expect(await outcome(() => as('green')`CREATE TABLE green.sneaky (id int)`)).toBe('42501');
  });

  it('gives every role a statement timeout, so no request can hold the database for long', async () => {
    for (const schema of OWNED_SCHEMAS) {
      const [row] = await as(schema)`SELECT current_setting('statement_timeout') AS timeout`;
      expect({ schema, timeout: row!['timeout'] }).toEqual({ schema, timeout: `${STATEMENT_TIMEOUT_MS / 1000}s` });
    }
  });

  it('serves the graph through the gateway with every subgraph logged in as its role', async () => {
    const token = await t.token({ sub: DEMO_CONSUMER_ID, role: 'consumer' });
    const res = await t
      .graphql('{ me { displayName points { balance } greenImpact { totals { records } } } catalog(first: 1) { edges { node { id } } } }', {}, token)
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.me.points.balance).toBeGreaterThan(0);
    const [{ db }] = (await t.sql`SELECT current_database() AS db`) as unknown as [{ db: string }];
    const rows = await t.sql`SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = ${db}`;
    const users = rows.map((r) => r['usename']);
    for (const role of Object.values(SUBGRAPH_ROLES)) expect(users).toContain(role);
  });

  it('migrates again without error (roles and grants are idempotent)', async () => {
    const handle = await connect({ databaseUrl: t.databaseUrl, poolMax: 1 });
    try {
      await migrate(handle);
      await migrate(handle);
    } finally {
      await handle.close();
    }
    expect(await outcome(() => as('ledger')`SELECT 1 FROM ledger.transactions LIMIT 1`)).toBe('ok');
  });
});
