// Proves deleteMyAccount through the gateway: personal data gone from every table of the users schema and from every event payload any schema keeps (checked in SQL), the pseudonymous id kept, the household handed on, UserDeleted published, and the account refusing everything afterwards.
import { randomUUID } from 'node:crypto';
import { drain, openConsumer } from '@greenpoints/events';
import { openRelay } from '@greenpoints/events/relay/index';
import { greenImpactConsumer } from '@greenpoints/green-impact/consumers/index';
import { ledgerConsumer } from '@greenpoints/ledger/consumers/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silent, testDelivery } from '../helpers/eventsDb.ts';
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

/** Runs the relay (as the stack does) and the consumers (each as its subgraph's role) until nothing is left to do. */
async function deliverAll() {
  const delivery = testDelivery({ batchSize: 500 });
  const { db, subgraphDbs } = t.stack;
  const workers = [await openRelay(db.db, delivery), await openConsumer(subgraphDbs.ledger.db, ledgerConsumer, delivery, silent), await openConsumer(subgraphDbs.green.db, greenImpactConsumer, delivery, silent)];
  for (const w of workers) await drain(w);
  for (const w of workers) await w.close();
}

/** Every stored event payload (outboxes, inboxes, dead letters of every schema) that names the user and still holds an age band. */
async function payloadsWithAgeBand(userId: string) {
  const tables = await t.sql`SELECT table_schema, table_name FROM information_schema.columns
    WHERE column_name = 'payload' AND table_schema IN ('users', 'merchants', 'ledger', 'green') ORDER BY 1, 2`;
  expect(tables.map((r) => `${r['table_schema']}.${r['table_name']}`)).toEqual(expect.arrayContaining(['users.outbox', 'ledger.inbox', 'ledger.dead_letters', 'green.inbox']));
  const found: string[] = [];
  for (const { table_schema: schema, table_name: table } of tables) {
    const rows = await t.sql.unsafe(`SELECT payload::text AS payload FROM "${schema}"."${table}" WHERE strpos(payload::text, $1) > 0 AND jsonb_path_exists(payload, '$.**.ageBand')`, [userId]);
    for (const { payload } of rows) found.push(`${schema}.${table}: ${payload}`);
  }
  return found;
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

  it('erases the age band from every event payload kept anywhere, delivered or not, and keeps the events', async () => {
    const band = (token: string, ageBand: string) => t.graphql(`mutation { updateProfile(input: { ageBand: ${ageBand} }) { id } }`, {}, token).expect(200);
    // Delivered: registered and changed band, both applied by the ledger; one more change was a
    // publisher's bug (a field no contract knows), so the ledger dead-lettered it, payload and all.
    const delivered = await person('已送达', '13312398771');
    await band(delivered.token, 'AGE_60_PLUS');
    await t.sql`INSERT INTO users.outbox (event_id, type, version, aggregate, payload)
      VALUES (${randomUUID()}, 'UserAgeBandChanged', 1, ${`user:${delivered.id}`}, ${t.sql.json({ userId: delivered.id, ageBand: '18_59', source: 'buggy' })})`;
    await deliverAll();
    const [dead] = await t.sql`SELECT type FROM ledger.dead_letters WHERE payload->>'userId' = ${delivered.id}`;
    expect(dead).toEqual({ type: 'UserAgeBandChanged' });
    expect(await payloadsWithAgeBand(delivered.id)).toHaveLength(7); // outbox 3, inbox 3 (one dead), dead letter 1
    const eventsOf = async (id: string) => [...(await t.sql`SELECT event_id, type FROM users.outbox WHERE aggregate = ${`user:${id}`} ORDER BY position`)];
    const before = await eventsOf(delivered.id);

    // Not yet delivered when the account goes: the relay hands on what deletion left of the payloads.
    const pending = await person('未送达', '13312398772');
    await band(pending.token, 'AGE_60_PLUS');

    for (const p of [delivered, pending]) expect((await t.graphql('mutation { deleteMyAccount { status } }', {}, p.token).expect(200)).body.data.deleteMyAccount).toEqual({ status: 'ERASED' });
    // In the deletion's transaction, the users schema's own copies are scrubbed, rows and ids kept.
    expect(await eventsOf(delivered.id)).toEqual([...before, expect.objectContaining({ type: 'UserDeleted' })]);
    const [left] = await t.sql`SELECT count(*)::int AS n FROM users.outbox WHERE aggregate IN (${`user:${delivered.id}`}, ${`user:${pending.id}`}) AND payload ? 'ageBand'`;
    expect(left!['n']).toBe(0);

    // The ledger scrubs its own copies when it applies UserDeleted; the scrubbed payloads still meet their contracts.
    await deliverAll();
    for (const p of [delivered, pending]) expect(await payloadsWithAgeBand(p.id)).toEqual([]);
    const inbox = await t.sql`SELECT type, status FROM ledger.inbox WHERE aggregate = ${`user:${pending.id}`} ORDER BY position`;
    expect(inbox).toEqual([
      { type: 'UserRegistered', status: 'DONE' },
      { type: 'UserAgeBandChanged', status: 'DONE' },
      { type: 'UserDeleted', status: 'DONE' },
    ]);
    expect(await t.sql`SELECT 1 FROM ledger.dead_letters WHERE payload->>'userId' = ${pending.id}`).toHaveLength(0);
    expect(await t.sql`SELECT type FROM ledger.dead_letters WHERE payload->>'userId' = ${delivered.id}`).toEqual([{ type: 'UserAgeBandChanged' }]);
    const copies = await t.sql`SELECT status, age_band FROM ledger.user_copies WHERE user_id IN (${delivered.id}, ${pending.id})`;
    expect(copies).toEqual([{ status: 'ERASED', age_band: null }, { status: 'ERASED', age_band: null }]);
  });
});
