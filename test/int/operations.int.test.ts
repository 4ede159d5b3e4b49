// Proves the operations side: status reports lag and dead letters, prune deletes only what is past retention and done, and the events command runs.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { prune } from '@greenpoints/events/ops/prune';
import { consumerStatus, streamStatus } from '@greenpoints/events/ops/status';
import { subscribedTypes } from '@greenpoints/events/subscriptions';
import { changeUserStatus } from '@greenpoints/users/operations/userLifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/childService.ts';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';

const run = promisify(execFile);
const HOUR_MS = 3_600_000;

let t: FreshDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.drop());

describe('operations', () => {
  it('status shows unpublished events per stream and, per consumer, what is applied and what waits', async () => {
    const [u] = await t.sql`SELECT id FROM users.users WHERE status = 'ACTIVE' LIMIT 1`;
    await changeUserStatus(t.handle.db, u!['id'], 'FROZEN');
    const streams = await streamStatus(t.handle.db);
    expect(streams.find((s) => s.stream === 'users')).toMatchObject({ unpublished: 1 });
    const ledger = (await consumerStatus(t.handle.db)).find((c) => c.consumer === 'ledger')!;
    expect(ledger).toMatchObject({ pending: 0, dead: 0 });
    expect(ledger.applied).toBeGreaterThan(300);
    expect(ledger.appliedUpTo['users']).toBeGreaterThan(0);
  });

  it('prune deletes published outbox rows and applied inbox rows past retention, and nothing else', async () => {
    await t.sql`UPDATE users.outbox SET published_at = now() - interval '2 hours' WHERE published_at IS NOT NULL`;
    await t.sql`UPDATE ledger.inbox SET applied_at = now() - interval '2 hours' WHERE stream = 'users'`;
    const [before] = await t.sql`SELECT count(*)::int AS n FROM users.outbox WHERE published_at IS NOT NULL`;
    // Only the types the ledger subscribes to reach its inbox (household invitations do not).
    const [delivered] = await t.sql`SELECT count(*)::int AS n FROM users.outbox WHERE published_at IS NOT NULL AND type IN ${t.sql(subscribedTypes('ledger', 'users'))}`;
    const pruned = await prune(t.handle.db, HOUR_MS);
    expect(pruned.outbox).toBe(before!['n']);
    expect(pruned.inbox).toBe(delivered!['n']);
    // The unpublished event stays, and so do the processed marks that keep redeliveries out.
    const [left] = await t.sql`SELECT count(*)::int AS n FROM users.outbox`;
    expect(left!['n']).toBe(1);
    const [marks] = await t.sql`SELECT count(*)::int AS n FROM ledger.processed_events`;
    expect(marks!['n']).toBeGreaterThan(300);
    expect(await prune(t.handle.db, HOUR_MS)).toEqual({ outbox: 0, inbox: 0 });
  });

  it('npm run events -- status and dead-letters run; a bad command is refused', async () => {
    const env = { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent' };
    const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'events/src/cli/events.ts', ...args], { cwd: ROOT, env });
    expect((await cli(['status'])).stdout).toMatch(/consumers[\s\S]*ledger[\s\S]*green-impact/);
    expect((await cli(['dead-letters'])).stdout).toMatch(/no dead letters/);
    await expect(cli(['replay', '--consumer', 'nobody'])).rejects.toMatchObject({ code: 2 });
  });
});
