// Proves deleteMyAccount through the gateway: personal data gone from every table of the users schema (checked in SQL), the pseudonymous id kept, the household handed on, UserDeleted published, and the account refusing everything afterwards.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
});
afterAll(() => t?.stop());

async function person(displayName: string, phone: string) {
  const id = randomUUID();
  const token = await t.token({ role: 'consumer', sub: id });
  const res = await t.graphql('mutation ($n: String!, $p: String!) { registerUser(input: { displayName: $n, phone: $p, ageBand: UNDER_18 }) { id } }', { n: displayName, p: phone }, token).expect(200);
  expect(res.body.errors).toBeUndefined();
  return { id, token };
}

const codes = (body: { errors?: { extensions: { code: string } }[] }) => (body.errors ?? []).map((e) => e.extensions.code);

describe('deleteMyAccount', () => {
  it('erases personal data everywhere in the users schema and keeps only the pseudonymous id', async () => {
    const name = '独一无二的名字';
    const phone = '13312398765';
    const me = await person(name, phone);
    const other = await person('家人', '13312398766');
    const [before] = await t.sql`SELECT phone_encrypted, phone_hash FROM users.users WHERE id = ${me.id}`;
    const h = await t.graphql('mutation { createHousehold(name: "删除测试") { id } }', {}, me.token).expect(200);
    const householdId = h.body.data.createHousehold.id;
    await t.graphql(`mutation { inviteToHousehold(householdId: "${householdId}", userId: "${other.id}") { id } }`, {}, me.token).expect(200);
    await t.graphql(`mutation { acceptHouseholdInvite(householdId: "${householdId}") { id } }`, {}, other.token).expect(200);
    await t.graphql('mutation { grantConsent(kind: PARTNER_SHARING) { id } }', {}, me.token).expect(200);

    const res = await t.graphql('mutation { deleteMyAccount { id displayName phone ageBand status household { id } } }', {}, me.token).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.deleteMyAccount).toEqual({ id: me.id, displayName: 'Deleted user', phone: null, ageBand: null, status: 'ERASED', household: null });

    // Nothing personal left in any table of the schema: not the name, the number, its ciphertext or its hash.
    const tables = await t.sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'users' AND table_type = 'BASE TABLE'`;
    for (const { table_name: table } of tables) {
      const rows = await t.sql.unsafe(`SELECT t::text AS row FROM users."${table}" t`);
      for (const { row } of rows) {
        for (const secret of [name, phone, before!['phone_encrypted'], before!['phone_hash']]) expect({ table, found: String(row).includes(secret) }).toEqual({ table, found: false });
      }
    }
    const [row] = await t.sql`SELECT status, display_name, phone_encrypted, phone_hash, age_band, household_id FROM users.users WHERE id = ${me.id}`;
    expect(row).toEqual({ status: 'ERASED', display_name: 'Deleted user', phone_encrypted: null, phone_hash: null, age_band: null, household_id: null });
    const [household] = await t.sql`SELECT owner_id FROM users.households WHERE id = ${householdId}`;
    expect(household!['owner_id']).toBe(other.id);
    const events = await t.sql`SELECT type FROM users.outbox WHERE aggregate IN (${`user:${me.id}`}, ${`household:${householdId}`}) ORDER BY position`;
    expect(events.map((e) => e['type']).slice(-3)).toEqual(['HouseholdMemberLeft', 'HouseholdOwnershipTransferred', 'UserDeleted']);
    // The consent history stays as the record of what was agreed; it names no one.
    expect(await t.sql`SELECT kind FROM users.consents WHERE user_id = ${me.id}`).toHaveLength(1);
    // The number is free for someone else.
    await person('新号主', phone);
  });

  it('leaves an account that refuses everything, reads as deleted and is hidden from partners', async () => {
    const me = await person('短暂', '13312398767');
    await t.graphql('mutation { grantConsent(kind: PARTNER_SHARING) { id } }', {}, me.token).expect(200);
    await t.graphql('mutation { deleteMyAccount { id } }', {}, me.token).expect(200);
    const again = await t.graphql('mutation { deleteMyAccount { status } }', {}, me.token).expect(200);
    expect(again.body.data.deleteMyAccount).toEqual({ status: 'ERASED' });
    expect(codes((await t.graphql('mutation { updateProfile(input: { displayName: "回来" }) { id } }', {}, me.token)).body)).toEqual(['USER_ERASED']);
    expect(codes((await t.graphql('mutation { grantConsent(kind: MARKETING) { id } }', {}, me.token)).body)).toEqual(['USER_ERASED']);
    expect(codes((await t.graphql('mutation { createHousehold(name: "x") { id } }', {}, me.token)).body)).toEqual(['USER_ERASED']);
    const reRegister = await t.graphql('mutation { registerUser(input: { displayName: "回来", phone: "13312398768", ageBand: AGE_18_59 }) { id } }', {}, me.token);
    expect(codes(reRegister.body)).toEqual(['ALREADY_REGISTERED']);
    const partner = await t.token({ role: 'partner', partnerId: 'acme' });
    const seen = await t.graphql(`{ user(id: "${me.id}") { id displayName } }`, {}, partner).expect(200);
    expect(seen.body.data.user).toBeNull();
    expect(codes(seen.body)).toEqual(['CONSENT_REQUIRED']);
    const refusedBefore = await t.token({ role: 'consumer', sub: randomUUID() });
    expect(codes((await t.graphql('mutation { deleteMyAccount { id } }', {}, refusedBefore)).body)).toEqual(['NOT_REGISTERED']);
  });
});
