import { connect, type DbHandle } from '@greenpoints/db';
import { DEFAULT_DELIVERY, type DeliveryOptions } from '@greenpoints/events';
import postgres from 'postgres';
import { inject } from 'vitest';
import { adminClient, uniqueName, urlFor } from './db.ts';

export interface FreshDb {
  url: string;
  name: string;
  handle: DbHandle;
  /** A direct connection for assertions. */
  sql: postgres.Sql;
  /** Another pool on the same database, for racing a second relay or consumer copy. */
  connectAgain(): Promise<DbHandle>;
  drop(): Promise<void>;
}

/** A copy of the seeded template (its events already delivered), with its own pools. */
export async function freshDatabase(): Promise<FreshDb> {
  const name = uniqueName('gp_events');
  const admin = adminClient();
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDb')}`);
  const url = urlFor(name);
  const extra: DbHandle[] = [];
  const handle = await connect({ databaseUrl: url, poolMax: 4 });
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  return {
    url,
    name,
    handle,
    sql,
    connectAgain: async () => {
      const h = await connect({ databaseUrl: url, poolMax: 4 });
      extra.push(h);
      return h;
    },
    drop: async () => {
      for (const h of [handle, ...extra]) await h.close();
      await sql.end();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Fast retries and small batches: tests see several attempts and several batches in milliseconds. */
export const testDelivery = (overrides: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
  ...DEFAULT_DELIVERY,
  batchSize: 10,
  maxAttempts: 3,
  retryBaseMs: 20,
  retryMaxMs: 100,
  pollMs: 10,
  idlePollMaxMs: 10,
  ...overrides,
});

export const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** Polls `probe` until it returns true, at most `timeoutMs`. */
export async function until(probe: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
