// Proves a user the caller may not see is never a null in a non-null position: a stub with only the id, personal fields withheld, hidden household members left out.
import { randomUUID } from 'node:crypto';
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const RECORD = `mutation ($key: ID!) {
  recordPurchase(input: { userId: "${DEMO_CONSUMER_ID}", merchantId: "${DEMO_MERCHANT_ID}", amountMinor: 1200 }, idempotencyKey: $key) {
    id user { id displayName phone ageBand status registeredAt household { id } }
  }
}`;
const HOUSEHOLD = '{ me { household { id owner { id displayName } members { id displayName phone } } } }';

let t: TestStack;
type Coded = { path: (string | number)[]; extensions: { code: string } };

beforeAll(async () => {
  t = await startTestStack({ relay: false });
});
afterAll(() => t?.stop());

async function membersOf(householdId: string): Promise<string[]> {
  return (await t.sql`SELECT id FROM users.users WHERE household_id = ${householdId} ORDER BY id`).map((r) => r['id']);
}

describe('users the caller may not see', () => {
  it("gives a merchant its purchase's customer as an id-only stub, personal fields null with FORBIDDEN", async () => {
    const token = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
    const res = await t.graphql(RECORD, { key: randomUUID() }, token).expect(200);
    const user = res.body.data.recordPurchase.user;
    expect(user).toEqual({ id: DEMO_CONSUMER_ID, displayName: null, phone: null, ageBand: null, status: null, registeredAt: null, household: null });
    const errors: Coded[] = res.body.errors;
    expect(new Set(errors.map((e) => e.extensions.code))).toEqual(new Set(['FORBIDDEN']));
    expect(errors.map((e) => e.path.at(-1)).sort()).toEqual(['ageBand', 'displayName', 'household', 'phone', 'registeredAt', 'status']);
  });

  it('shows a consumer every member of their own household, none of them null', async () => {
    const token = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    const res = await t.graphql(HOUSEHOLD, {}, token).expect(200);
    expect(res.body.errors).toBeUndefined();
    const household = res.body.data.me.household;
    const ids = household.members.map((m: { id: string }) => m.id).sort();
    expect(ids).toEqual(await membersOf(household.id));
    for (const m of household.members) expect(m.displayName).toEqual(expect.any(String));
  });

  it("does not show another household to a consumer outside it, nor to a merchant", async () => {
    const [{ household_id: householdId }] = (await t.sql`SELECT household_id FROM users.users WHERE id = ${DEMO_CONSUMER_ID}`) as unknown as [
      { household_id: string },
    ];
    const [outsider] = await t.sql`SELECT id FROM users.users WHERE household_id IS NULL LIMIT 1`;
    for (const token of [
      await t.token({ role: 'consumer', sub: String(outsider!['id']) }),
      await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID }),
    ]) {
      const res = await t.graphql('query ($id: ID!) { household(id: $id) { members { id } } }', { id: householdId }, token).expect(200);
      expect(res.body.data.household).toBeNull();
    }
  });

  it('leaves out an owner who left, and shows them as a stub where the schema needs a User', async () => {
    const token = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    const [member] = await t.sql`
      SELECT u.id, u.household_id FROM users.users u JOIN users.users me ON me.household_id = u.household_id
      WHERE me.id = ${DEMO_CONSUMER_ID} AND u.id <> me.id ORDER BY u.id LIMIT 1`;
    const householdId = String(member!['household_id']);
    // The member becomes the owner and then leaves: they are no longer visible to the demo consumer.
    await t.sql`UPDATE users.households SET owner_id = ${member!['id']} WHERE id = ${householdId}`;
    await t.sql`UPDATE users.users SET household_id = NULL WHERE id = ${member!['id']}`;
    const res = await t.graphql(HOUSEHOLD, {}, token).expect(200);
    const household = res.body.data.me.household;
    expect(household.owner).toEqual({ id: member!['id'], displayName: null });
    expect(res.body.errors.map((e: Coded) => [e.path.join('.'), e.extensions.code])).toEqual([['me.household.owner.displayName', 'FORBIDDEN']]);
    expect(household.members).not.toContain(null);
    expect(household.members.map((m: { id: string }) => m.id).sort()).toEqual(await membersOf(householdId));
  });

  it('shows staff every member of any household', async () => {
    const admin = await t.token({ role: 'admin', sub: 'ops-1' });
    const [row] = await t.sql`SELECT household_id FROM users.users WHERE household_id IS NOT NULL GROUP BY household_id ORDER BY count(*) DESC LIMIT 1`;
    const householdId = String(row!['household_id']);
    const res = await t.graphql('query ($id: ID!) { household(id: $id) { members { id displayName } } }', { id: householdId }, admin).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.household.members.map((m: { id: string }) => m.id).sort()).toEqual(await membersOf(householdId));
  });
});
