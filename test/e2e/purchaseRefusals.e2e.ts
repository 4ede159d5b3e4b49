// Proves recordPurchase refuses, with a code, an unknown or deleted user, a frozen user and a suspended merchant once the ledger's read models know, and accepts a user registered live once they do.
import { randomUUID } from 'node:crypto';
import { DEMO_MERCHANT_ID } from '@greenpoints/common';
import { changeMerchantStatus } from '@greenpoints/merchants/operations/merchantLifecycle';
import { changeUserStatus, deleteUser, registerUser } from '@greenpoints/users/operations/userLifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/eventsDb.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const RECORD = `mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) { id points } }`;

let t: TestStack;
let merchantToken: string;
let users: string[];

beforeAll(async () => {
  t = await startTestStack();
  merchantToken = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
  users = (await t.sql`SELECT id FROM users.users WHERE status = 'ACTIVE' AND household_id IS NULL ORDER BY id LIMIT 3`).map((r) => r['id'] as string);
});
afterAll(() => t?.stop());

async function record(userId: string) {
  const res = await t.graphql(RECORD, { input: { userId, merchantId: DEMO_MERCHANT_ID, amountMinor: 1_000 }, key: randomUUID() }, merchantToken).expect(200);
  return res.body as { data: { recordPurchase: { id: string } } | null; errors?: { extensions: { code: string } }[] };
}
const codeOf = (body: Awaited<ReturnType<typeof record>>) => body.errors?.[0]?.extensions.code;
const userCopy = async (id: string) => (await t.sql`SELECT status FROM ledger.user_copies WHERE user_id = ${id}`)[0]?.['status'];
const merchantCopy = async (id: string) => (await t.sql`SELECT status FROM ledger.merchant_copies WHERE merchant_id = ${id}`)[0]?.['status'];

describe('recordPurchase and the read models', () => {
  it('refuses a user the ledger has never heard of with UNKNOWN_USER and writes nothing', async () => {
    const before = await t.sql`SELECT count(*)::int AS n FROM ledger.transactions`;
    expect(codeOf(await record(randomUUID()))).toBe('UNKNOWN_USER');
    expect(await t.sql`SELECT count(*)::int AS n FROM ledger.transactions`).toEqual(before);
  });

  it('refuses a deleted user with UNKNOWN_USER and a frozen one with USER_NOT_ACTIVE', async () => {
    const [erased, frozen] = users as [string, string];
    expect(codeOf(await record(erased))).toBeUndefined();
    await deleteUser(t.stack.db.db, erased);
    await changeUserStatus(t.stack.db.db, frozen, 'FROZEN');
    await until(async () => (await userCopy(erased)) === 'ERASED' && (await userCopy(frozen)) === 'FROZEN', 15_000, 'the read model to learn');
    expect(codeOf(await record(erased))).toBe('UNKNOWN_USER');
    expect(codeOf(await record(frozen))).toBe('USER_NOT_ACTIVE');
  });

  it('refuses a suspended merchant with MERCHANT_NOT_ACTIVE, and accepts it again once reactivated', async () => {
    const userId = users[2]!;
    await changeMerchantStatus(t.stack.db.db, DEMO_MERCHANT_ID, 'SUSPENDED');
    await until(async () => (await merchantCopy(DEMO_MERCHANT_ID)) === 'SUSPENDED', 15_000, 'the suspension to arrive');
    expect(codeOf(await record(userId))).toBe('MERCHANT_NOT_ACTIVE');
    await changeMerchantStatus(t.stack.db.db, DEMO_MERCHANT_ID, 'ACTIVE');
    await until(async () => (await merchantCopy(DEMO_MERCHANT_ID)) === 'ACTIVE', 15_000, 'the reactivation to arrive');
    expect(codeOf(await record(userId))).toBeUndefined();
  });

  it('accepts a user registered live once their registration has arrived', async () => {
    const id = await registerUser(t.stack.db.db, { displayName: '新用户', phoneEncrypted: null, ageBand: '18_59' });
    await until(async () => (await userCopy(id)) === 'ACTIVE', 15_000, 'the registration to arrive');
    const body = await record(id);
    expect(body.errors).toBeUndefined();
    expect(body.data?.recordPurchase.id).toBeTruthy();
  });
});
