// Proves registerUser and updateProfile through the gateway: a phone sealed under a named key and unique by its keyed hash, masked by role, each validation error with its own code, one canonical id, and UserRegistered in the outbox.
import { randomUUID } from 'node:crypto';
import { blindIndex, DEMO_CONSUMER_ID, DEMO_MERCHANT_ID, DEV_PII_KEY, keyIdOf, piiKeyId } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const REGISTER = `mutation ($input: RegisterUserInput!) { registerUser(input: $input) { id displayName phone ageBand status registeredAt household { id } } }`;
const UPDATE = `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id displayName phone ageBand } }`;

let t: TestStack;
let serial = 0;
/** A phone number no other test in this file uses. */
const freshPhone = () => `139${String(40_000_000 + ++serial).padStart(8, '0')}`;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
});
afterAll(() => t?.stop());

async function register(input: Record<string, unknown>, id: string = randomUUID()) {
  const token = await t.token({ role: 'consumer', sub: id });
  const res = await t.graphql(REGISTER, { input }, token).expect(200);
  return { id, token, res, codes: (res.body.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code) };
}

describe('registerUser', () => {
  it('registers the caller under their token id, phone encrypted with its key id, hashed, and published', async () => {
    const phone = freshPhone();
    const { id, res } = await register({ displayName: '  林小绿 ', phone: `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`, ageBand: 'AGE_18_59' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.registerUser).toEqual({ id, displayName: '林小绿', phone, ageBand: 'AGE_18_59', status: 'ACTIVE', registeredAt: expect.any(String), household: null });
    const [row] = await t.sql`SELECT phone_encrypted, phone_hash FROM users.users WHERE id = ${id}`;
    expect(row!['phone_encrypted']).not.toContain(phone);
    expect(keyIdOf(row!['phone_encrypted'])).toBe(piiKeyId(DEV_PII_KEY));
    expect(row!['phone_hash']).toBe(blindIndex(phone, DEV_PII_KEY));
    const events = await t.sql`SELECT type, payload FROM users.outbox WHERE aggregate = ${`user:${id}`}`;
    expect(events.map((e) => e['type'])).toEqual(['UserRegistered']);
    expect(JSON.stringify(events[0]!['payload'])).not.toContain(phone);
  });

  it('refuses a bad phone, a taken phone, an empty, invisible or too-long name, each with its code, writing nothing', async () => {
    const taken = freshPhone();
    expect((await register({ displayName: 'A', phone: taken, ageBand: 'UNDER_18' })).codes).toEqual([]);
    const [before] = await t.sql`SELECT count(*)::int AS n FROM users.users`;
    const cases: [Record<string, unknown>, string][] = [
      [{ displayName: 'B', phone: '12345', ageBand: 'AGE_18_59' }, 'INVALID_PHONE'],
      [{ displayName: 'B', phone: '+1 415 555 0100', ageBand: 'AGE_18_59' }, 'INVALID_PHONE'],
      [{ displayName: 'B', phone: taken, ageBand: 'AGE_18_59' }, 'PHONE_TAKEN'],
      [{ displayName: 'B', phone: `0086-${taken}`, ageBand: 'AGE_18_59' }, 'PHONE_TAKEN'],
      [{ displayName: 'x'.repeat(41), phone: freshPhone(), ageBand: 'AGE_18_59' }, 'DISPLAY_NAME_TOO_LONG'],
      [{ displayName: '   ', phone: freshPhone(), ageBand: 'AGE_18_59' }, 'INVALID_DISPLAY_NAME'],
      [{ displayName: 'evil\u202Eman', phone: freshPhone(), ageBand: 'AGE_18_59' }, 'INVALID_DISPLAY_NAME'],
    ];
    for (const [input, code] of cases) expect({ input, codes: (await register(input)).codes }).toEqual({ input, codes: [code] });
    const [after] = await t.sql`SELECT count(*)::int AS n FROM users.users`;
    expect(after!['n']).toBe(before!['n']);
  });

  it('keeps two racing registrations of one phone to one account', async () => {
    const phone = freshPhone();
    const results = await Promise.all(Array.from({ length: 6 }, () => register({ displayName: 'Racer', phone, ageBand: 'AGE_18_59' })));
    expect(results.filter((r) => r.codes.length === 0)).toHaveLength(1);
    for (const r of results.filter((x) => x.codes.length > 0)) expect(r.codes).toEqual(['PHONE_TAKEN']);
  });

  it('treats an upper-cased id as the same person: no second identity', async () => {
    const id = randomUUID();
    expect((await register({ displayName: 'Case', phone: freshPhone(), ageBand: 'AGE_18_59' }, id)).codes).toEqual([]);
    const again = await register({ displayName: 'Case', phone: freshPhone(), ageBand: 'AGE_18_59' }, id.toUpperCase());
    expect(again.codes).toEqual(['ALREADY_REGISTERED']);
    const rows = await t.sql`SELECT id FROM users.users WHERE lower(id::text) = ${id}`;
    expect(rows).toHaveLength(1);
    const me = await t.graphql('{ me { id } }', {}, again.token).expect(200);
    expect(me.body.data.me).toEqual({ id });
    const admin = await t.token({ role: 'admin', sub: 'ops' });
    const byUpper = await t.graphql(`{ user(id: "${id.toUpperCase()}") { id } }`, {}, admin).expect(200);
    expect(byUpper.body.data.user).toEqual({ id });
  });

  it('gives an upper-cased user id in a purchase the same ledger account', async () => {
    const merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID.toUpperCase() });
    const record = `mutation ($k: ID!) { recordPurchase(input: { userId: "${DEMO_CONSUMER_ID.toUpperCase()}", merchantId: "${DEMO_MERCHANT_ID.toUpperCase()}", amountMinor: 1200 }, idempotencyKey: $k) { id user { id } } }`;
    const res = await t.graphql(record, { k: randomUUID() }, merchant).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.recordPurchase.user).toEqual({ id: DEMO_CONSUMER_ID });
    const owners = await t.sql`SELECT DISTINCT owner_id FROM ledger.accounts WHERE lower(owner_id) = ${DEMO_CONSUMER_ID}`;
    expect(owners.map((o) => o['owner_id'])).toEqual([DEMO_CONSUMER_ID]);
  });

  it('refuses a token whose subject is not a user id, and every role but consumer', async () => {
    const odd = await t.token({ role: 'consumer', sub: 'not-a-uuid' });
    const res = await t.graphql(REGISTER, { input: { displayName: 'A', phone: freshPhone(), ageBand: 'AGE_18_59' } }, odd).expect(200);
    expect(res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    const admin = await t.token({ role: 'admin', sub: 'ops' });
    const refused = await t.graphql(REGISTER, { input: { displayName: 'A', phone: freshPhone(), ageBand: 'AGE_18_59' } }, admin).expect(200);
    expect(refused.body.data.registerUser).toBeNull();
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('updateProfile and masking', () => {
  it('changes name, band and phone; the old number is free again, a taken one is refused', async () => {
    const first = freshPhone();
    const a = await register({ displayName: 'Before', phone: first, ageBand: 'AGE_18_59' });
    const second = freshPhone();
    const res = await t.graphql(UPDATE, { input: { displayName: 'After', ageBand: 'AGE_60_PLUS', phone: second } }, a.token).expect(200);
    expect(res.body.data.updateProfile).toEqual({ id: a.id, displayName: 'After', ageBand: 'AGE_60_PLUS', phone: second });
    expect((await register({ displayName: 'Reuses', phone: first, ageBand: 'AGE_18_59' })).codes).toEqual([]);
    const clash = await t.graphql(UPDATE, { input: { phone: first } }, a.token).expect(200);
    expect(clash.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['PHONE_TAKEN']);
    const tooLong = await t.graphql(UPDATE, { input: { displayName: '绿'.repeat(41) } }, a.token).expect(200);
    expect(tooLong.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['DISPLAY_NAME_TOO_LONG']);
  });

  it('refuses a consumer who has not registered', async () => {
    const token = await t.token({ role: 'consumer', sub: randomUUID() });
    const res = await t.graphql(UPDATE, { input: { displayName: 'Ghost' } }, token).expect(200);
    expect(res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['NOT_REGISTERED']);
  });

  it('shows the phone in full to the user and admins, masked to auditors', async () => {
    const phone = freshPhone();
    const { id } = await register({ displayName: 'Masked', phone, ageBand: 'AGE_18_59' });
    const phoneAs = async (claims: Parameters<TestStack['token']>[0]) =>
      (await t.graphql(`{ user(id: "${id}") { phone } }`, {}, await t.token(claims)).expect(200)).body.data.user.phone;
    expect(await phoneAs({ role: 'consumer', sub: id })).toBe(phone);
    expect(await phoneAs({ role: 'admin', sub: 'ops' })).toBe(phone);
    expect(await phoneAs({ role: 'auditor', sub: 'audit' })).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  });
});
