// Proves green activities are recorded by their organiser within caps that hold under concurrency, idempotently, and that only the ledger issues their points, from the organiser's funded green budget.
import { randomUUID } from 'node:crypto';
import { DAY_MS } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const RECORD = /* GraphQL */ `
  mutation Record($input: GreenActivityInput!, $key: ID!) {
    recordGreenActivity(input: $input, idempotencyKey: $key) { id kind greenPoints status pointsCredited user { id } organiser { id } }
  }
`;
const ACTIVITY = `query ($id: ID!) { greenActivity(id: $id) { id status pointsCredited refusalReason } }`;

let t: TestStack;
let admin: string;
let appliances: { id: string; token: string };
let supermarket: { id: string; token: string };
let users: string[];

async function merchantOf(category: string) {
  const [m] = await t.sql`SELECT id FROM merchants.merchants WHERE category = ${category}`;
  return { id: m!['id'] as string, token: await t.token({ role: 'merchant', merchantId: m!['id'] }) };
}

beforeAll(async () => {
  t = await startTestStack();
  admin = await t.token({ role: 'admin', sub: 'ops-1' });
  appliances = await merchantOf('APPLIANCES');
  supermarket = await merchantOf('SUPERMARKET');
  users = (await t.sql`SELECT id FROM users.users WHERE household_id IS NULL AND status = 'ACTIVE' ORDER BY id LIMIT 8`).map((u) => u['id'] as string);
});
afterAll(() => t?.stop());

const record = (input: Record<string, unknown>, token: string, key: string = randomUUID()) => t.graphql(RECORD, { input, key }, token);

async function settled(id: string, token = admin) {
  let activity: { status: string; pointsCredited: number; refusalReason: string | null } | undefined;
  await expect
    .poll(async () => {
      activity = (await t.graphql(ACTIVITY, { id }, token)).body.data?.greenActivity;
      return activity?.status;
    }, { timeout: 15_000 })
    .not.toBe('RECORDED');
  return activity!;
}

async function greenBalance(userId: string): Promise<number> {
  const [row] = await t.sql`SELECT coalesce(sum(balance), 0)::int AS b FROM ledger.accounts WHERE kind = 'USER' AND owner_id = ${userId} AND asset = 'GREEN_POINTS'`;
  return row!['b'];
}

async function budget(kind: string, ownerId: string): Promise<number> {
  const [row] = await t.sql`SELECT coalesce(sum(balance), 0)::int AS b FROM ledger.accounts WHERE kind = ${kind} AND owner_id = ${ownerId} AND asset = 'GREEN_POINTS'`;
  return row!['b'];
}

describe('recordGreenActivity', () => {
  it("records a merchant's activity, and the ledger issues its points from that merchant's green budget", async () => {
    const userId = users[0]!;
    const [before, budgetBefore] = [await greenBalance(userId), await budget('MERCHANT_ISSUANCE', appliances.id)];
    const res = await record({ userId, kind: 'SURVEY', organiserId: appliances.id, reference: 'survey-2026-energy' }, appliances.token).expect(200);
    expect(res.body.errors).toBeUndefined();
    const activity = res.body.data.recordGreenActivity;
    expect(activity).toMatchObject({ kind: 'SURVEY', greenPoints: 20, status: 'RECORDED', pointsCredited: 0, user: { id: userId }, organiser: { id: appliances.id } });

    const consumer = await t.token({ role: 'consumer', sub: userId });
    expect(await settled(activity.id, consumer)).toEqual({ id: activity.id, status: 'CREDITED', pointsCredited: 20, refusalReason: null });
    expect(await greenBalance(userId)).toBe(before + 20);
    expect(await budget('MERCHANT_ISSUANCE', appliances.id)).toBe(budgetBefore - 20);
    const [tx] = await t.sql`SELECT t.type, t.user_id, t.merchant_id FROM ledger.transactions t JOIN ledger.operations o ON o.id = t.operation_id
      WHERE o.scope = 'green-activity' AND o.key = ${activity.id}`;
    expect(tx).toEqual({ type: 'GREEN_ACTIVITY', user_id: userId, merchant_id: appliances.id });
    // Its impact record: green points only, in its own category.
    await expect
      .poll(async () => (await t.sql`SELECT category, green_points, co2e_grams FROM green.impact_records WHERE source_ref = ${`activity:${activity.id}`}`)[0])
      .toEqual({ category: 'GREEN_SURVEY', green_points: '20', co2e_grams: '0' });
    // Another consumer learns nothing of it.
    const stranger = await t.token({ role: 'consumer', sub: users[7]! });
    expect((await t.graphql(ACTIVITY, { id: activity.id }, stranger)).body.data.greenActivity).toBeNull();
  });

  it("issues the alliance's own activities (recorded by an admin) from the alliance's green budget", async () => {
    const userId = users[1]!;
    const allianceBefore = await budget('ALLIANCE_ISSUANCE', 'alliance');
    const res = await record({ userId, kind: 'TRAINING' }, admin).expect(200);
    expect(res.body.data.recordGreenActivity.organiser).toBeNull();
    expect(await settled(res.body.data.recordGreenActivity.id)).toMatchObject({ status: 'CREDITED', pointsCredited: 50 });
    expect(await budget('ALLIANCE_ISSUANCE', 'alliance')).toBe(allianceBefore - 50);
  });

  it('returns the first result for a retry, even concurrent, and refuses another activity under the same key', async () => {
    const userId = users[2]!;
    const key = randomUUID();
    const input = { userId, kind: 'RECYCLING_DROP_OFF', organiserId: supermarket.id };
    const results = await Promise.all([1, 2, 3, 4].map(() => record(input, supermarket.token, key)));
    const ids = new Set(results.map((r) => r.body.data.recordGreenActivity.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    expect(await settled(id)).toMatchObject({ status: 'CREDITED', pointsCredited: 10 });
    const again = await record(input, supermarket.token, key);
    expect(again.body.data.recordGreenActivity).toMatchObject({ id, status: 'CREDITED', pointsCredited: 10 });
    const conflict = await record({ ...input, kind: 'E_RECEIPT' }, supermarket.token, key);
    expect(conflict.body.errors[0].extensions.code).toBe('IDEMPOTENCY_CONFLICT');
    const [n] = await t.sql`SELECT count(*)::int AS n FROM green.green_activities WHERE user_id = ${userId}`;
    expect(n!['n']).toBe(1);
    const [posted] = await t.sql`SELECT count(*)::int AS n FROM ledger.transactions t JOIN ledger.operations o ON o.id = t.operation_id
      WHERE o.scope = 'green-activity' AND o.key = ${id}`;
    expect(posted!['n']).toBe(1);
  });

  it('holds the daily cap when many organisers record at once: exactly 5 e-receipts a day earn points', async () => {
    const userId = users[3]!;
    const before = await greenBalance(userId);
    const senders = [admin, appliances.token, supermarket.token];
    const organiser = (token: string) => (token === admin ? null : token === appliances.token ? appliances.id : supermarket.id);
    const results = await Promise.all(
      Array.from({ length: 18 }, (_, i) => senders[i % 3]!).map((token) => record({ userId, kind: 'E_RECEIPT', organiserId: organiser(token) }, token)),
    );
    const ok = results.filter((r) => r.body.data?.recordGreenActivity);
    const capped = results.filter((r) => r.body.errors?.[0]?.extensions?.code === 'ACTIVITY_CAP_REACHED');
    expect([ok.length, capped.length]).toEqual([5, 13]);
    expect(capped[0]!.body.errors[0].extensions).toMatchObject({ cap: 5, period: 'DAY', field: 'kind' });
    for (const r of ok) expect(await settled(r.body.data.recordGreenActivity.id)).toMatchObject({ status: 'CREDITED', pointsCredited: 1 });
    expect(await greenBalance(userId)).toBe(before + 5);
    const [rows] = await t.sql`SELECT count(*)::int AS n FROM green.green_activities WHERE user_id = ${userId} AND kind = 'E_RECEIPT'`;
    expect(rows!['n']).toBe(5);
  });

  it('holds the monthly cap: at most 4 trainings a month, one a day', async () => {
    const userId = users[4]!;
    // Six days of one China Standard Time month, all within the 31 days an activity may be backdated.
    const cstNow = new Date(Date.now() + 8 * 3_600_000);
    const dayOfMonth = cstNow.getUTCDate();
    const base = dayOfMonth >= 7 ? Date.now() - (dayOfMonth - 1) * DAY_MS : Date.now() - (dayOfMonth + 7) * DAY_MS;
    const days = Array.from({ length: 6 }, (_, i) => new Date(base + i * DAY_MS).toISOString());
    const codes: string[] = [];
    for (const occurredAt of days) {
      const res = await record({ userId, kind: 'TRAINING', occurredAt }, admin);
      codes.push(res.body.errors?.[0]?.extensions?.code ?? 'OK');
    }
    expect(codes).toEqual(['OK', 'OK', 'OK', 'OK', 'ACTIVITY_CAP_REACHED', 'ACTIVITY_CAP_REACHED']);
    const sameDay = await record({ userId: users[5]!, kind: 'TRAINING', occurredAt: days[0] }, admin);
    const twice = await record({ userId: users[5]!, kind: 'TRAINING', occurredAt: days[0] }, admin);
    expect([sameDay.body.errors, twice.body.errors?.[0]?.extensions?.code]).toEqual([undefined, 'ACTIVITY_CAP_REACHED']);
  });

  it("refuses to issue when the organiser has no funded green budget, and gives the cap slot back", async () => {
    const userId = users[6]!;
    const before = await greenBalance(userId);
    // The cinema sells nothing green and organises nothing: it has no green budget.
    const cinema = await merchantOf('CINEMA');
    const res = await record({ userId, kind: 'SURVEY', organiserId: cinema.id }, cinema.token).expect(200);
    const id = res.body.data.recordGreenActivity.id;
    expect(await settled(id)).toMatchObject({ status: 'REFUSED', pointsCredited: 0, refusalReason: 'BUDGET_EXHAUSTED' });
    expect(await greenBalance(userId)).toBe(before);
    expect(await t.sql`SELECT 1 FROM green.impact_records WHERE source_ref = ${`activity:${id}`}`).toHaveLength(0);
    const [slot] = await t.sql`SELECT count FROM green.activity_counters WHERE user_id = ${userId} AND kind = 'SURVEY' AND period_kind = 'DAY'`;
    expect(slot!['count']).toBe(0);
    // The slot is free again: a funded organiser's survey the same day earns its points.
    const funded = await record({ userId, kind: 'SURVEY', organiserId: appliances.id }, appliances.token);
    expect(await settled(funded.body.data.recordGreenActivity.id)).toMatchObject({ status: 'CREDITED' });
  });

  it('lets only the organiser record: a merchant its own activities, an admin the alliance’s', async () => {
    const userId = users[7]!;
    const consumer = await t.token({ role: 'consumer', sub: userId });
    const cases: [Record<string, unknown>, string | undefined, string][] = [
      [{ userId, kind: 'SURVEY', organiserId: appliances.id }, supermarket.token, 'FORBIDDEN'],
      [{ userId, kind: 'SURVEY', organiserId: appliances.id }, admin, 'FORBIDDEN'],
      [{ userId, kind: 'SURVEY' }, consumer, 'FORBIDDEN'],
      [{ userId, kind: 'SURVEY' }, undefined, 'UNAUTHENTICATED'],
      [{ userId, kind: 'SURVEY', occurredAt: new Date(Date.now() + DAY_MS).toISOString() }, admin, 'BAD_USER_INPUT'],
      [{ userId, kind: 'SURVEY', occurredAt: new Date(Date.now() - 40 * DAY_MS).toISOString() }, admin, 'BAD_USER_INPUT'],
      [{ userId: 'not-an-id', kind: 'SURVEY' }, admin, 'BAD_USER_INPUT'],
    ];
    for (const [input, token, code] of cases) {
      const res = await t.graphql(RECORD, { input, key: randomUUID() }, token);
      expect(res.body.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe(code);
    }
    const [n] = await t.sql`SELECT count(*)::int AS n FROM green.green_activities WHERE user_id = ${userId}`;
    expect(n!['n']).toBe(0);
  });

  it('publishes its rules: points and caps per kind', async () => {
    const res = await t.graphql('{ greenActivityRules { kind category greenPoints perDay perMonth } }').expect(200);
    expect(res.body.data.greenActivityRules).toContainEqual({ kind: 'E_RECEIPT', category: 'E_RECEIPT', greenPoints: 1, perDay: 5, perMonth: 60 });
  });
});
