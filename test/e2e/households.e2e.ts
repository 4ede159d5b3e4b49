// Proves a household's whole life through the gateway — create, invite, accept, decline, transfer, remove, leave — with "already in a household", the size cap under many racing accepts, and an event for every change.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const HOUSEHOLD = 'id name owner { id } members { id } maxMembers invitations { invitee { id } invitedBy { id } householdName status }';

let t: TestStack;
let serial = 0;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
});
afterAll(() => t?.stop());

interface Person {
  id: string;
  token: string;
}

/** A newly registered consumer. */
async function person(): Promise<Person> {
  const id = randomUUID();
  const token = await t.token({ role: 'consumer', sub: id });
  const phone = `136${String(50_000_000 + ++serial).padStart(8, '0')}`;
  const res = await t.graphql('mutation ($p: String!) { registerUser(input: { displayName: "家人", phone: $p, ageBand: AGE_18_59 }) { id } }', { p: phone }, token).expect(200);
  expect(res.body.errors).toBeUndefined();
  return { id, token };
}

type Answer = { data: Record<string, unknown> | null; codes: string[] };
async function call(who: Person, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const res = await t.graphql(query, variables, who.token).expect(200);
  return { data: res.body.data, codes: (res.body.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code) };
}

const create = (who: Person, name: string) => call(who, `mutation ($n: String!) { createHousehold(name: $n) { ${HOUSEHOLD} } }`, { n: name });
const invite = (who: Person, householdId: string, userId: string) =>
  call(who, `mutation ($h: ID!, $u: ID!) { inviteToHousehold(householdId: $h, userId: $u) { ${HOUSEHOLD} } }`, { h: householdId, u: userId });
const accept = (who: Person, householdId: string) => call(who, `mutation ($h: ID!) { acceptHouseholdInvite(householdId: $h) { ${HOUSEHOLD} } }`, { h: householdId });
const decline = (who: Person, householdId: string) => call(who, 'mutation ($h: ID!) { declineHouseholdInvite(householdId: $h) { id householdInvitations { householdId } } }', { h: householdId });
const leave = (who: Person) => call(who, 'mutation { leaveHousehold { id household { id } } }');
const remove = (who: Person, householdId: string, userId: string) =>
  call(who, `mutation ($h: ID!, $u: ID!) { removeHouseholdMember(householdId: $h, userId: $u) { ${HOUSEHOLD} } }`, { h: householdId, u: userId });
const transfer = (who: Person, householdId: string, userId: string) =>
  call(who, `mutation ($h: ID!, $u: ID!) { transferHouseholdOwnership(householdId: $h, userId: $u) { ${HOUSEHOLD} } }`, { h: householdId, u: userId });

const ids = (list: unknown) => (list as { id: string }[]).map((x) => x.id).sort();

describe('a household, from creation to its last member leaving', () => {
  it('goes through its whole life, refusing what is not allowed with a code', async () => {
    const [a, b, c] = [await person(), await person(), await person()];
    const created = await create(a, '  绿色之家 ');
    expect(created.codes).toEqual([]);
    const h = created.data!['createHousehold'] as { id: string; name: string; maxMembers: number };
    expect(h).toMatchObject({ name: '绿色之家', owner: { id: a.id }, members: [{ id: a.id }], maxMembers: 6, invitations: [] });
    expect((await create(a, 'Another')).codes).toEqual(['ALREADY_IN_HOUSEHOLD']);
    expect((await create(b, 'x'.repeat(41))).codes).toEqual(['HOUSEHOLD_NAME_TOO_LONG']);
    expect((await create(b, ' ')).codes).toEqual(['INVALID_HOUSEHOLD_NAME']);

    expect((await invite(b, h.id, c.id)).codes).toEqual(['NOT_HOUSEHOLD_OWNER']);
    expect((await invite(a, h.id, randomUUID())).codes).toEqual(['NOT_FOUND']);
    expect((await invite(a, h.id, a.id)).codes).toEqual(['ALREADY_IN_HOUSEHOLD']);
    expect((await invite(a, h.id, b.id)).codes).toEqual([]);
    const invited = await invite(a, h.id, c.id.toUpperCase());
    expect(invited.codes).toEqual([]);
    expect((await invite(a, h.id, c.id)).codes).toEqual([]); // again: still one invitation
    const pending = (invited.data!['inviteToHousehold'] as { invitations: { invitee: { id: string } }[] }).invitations;
    expect(pending.map((i) => i.invitee.id).sort()).toEqual([b.id, c.id].sort());

    // The invitee sees what they are asked to join.
    const mine = await call(b, '{ me { householdInvitations { householdId householdName invitedBy { id } status } } }');
    expect(mine.data!['me']).toEqual({ householdInvitations: [{ householdId: h.id, householdName: '绿色之家', invitedBy: { id: a.id }, status: 'PENDING' }] });

    expect((await accept(b, randomUUID())).codes).toEqual(['NO_INVITATION']);
    const joined = await accept(b, h.id);
    expect(joined.codes).toEqual([]);
    expect(ids((joined.data!['acceptHouseholdInvite'] as { members: unknown }).members)).toEqual([a.id, b.id].sort());
    expect((await decline(c, h.id)).codes).toEqual([]);
    expect((await accept(c, h.id)).codes).toEqual(['NO_INVITATION']);

    expect((await transfer(a, h.id, c.id)).codes).toEqual(['NOT_HOUSEHOLD_MEMBER']);
    const transferred = await transfer(a, h.id, b.id);
    expect(transferred.data!['transferHouseholdOwnership']).toMatchObject({ owner: { id: b.id } });
    expect((await remove(a, h.id, b.id)).codes).toEqual(['NOT_HOUSEHOLD_OWNER']);
    const removed = await remove(b, h.id, a.id);
    expect(ids((removed.data!['removeHouseholdMember'] as { members: unknown }).members)).toEqual([b.id]);

    const left = await leave(b);
    expect(left).toEqual({ data: { leaveHousehold: { id: b.id, household: null } }, codes: [] });
    expect(await t.sql`SELECT id FROM users.households WHERE id = ${h.id}`).toHaveLength(0);

    const events = await t.sql`SELECT type, payload FROM users.outbox WHERE payload->>'householdId' = ${h.id} ORDER BY position`;
    expect(events.map((e) => e['type'])).toEqual([
      'HouseholdCreated', 'HouseholdMemberJoined', 'HouseholdInviteSent', 'HouseholdInviteSent', 'HouseholdMemberJoined',
      'HouseholdInviteDeclined', 'HouseholdOwnershipTransferred', 'HouseholdMemberLeft', 'HouseholdMemberLeft', 'HouseholdDissolved',
    ]);
    // The last one out is named, so the ledger knows whose the pool is now.
    expect(events.at(-1)!['payload']).toEqual({ householdId: h.id, lastMemberId: b.id });
  });

  it('refuses to join a second household, and hands an owner’s household on when they leave', async () => {
    const [a, b, d] = [await person(), await person(), await person()];
    const first = (await create(a, 'First')).data!['createHousehold'] as { id: string };
    const second = (await create(d, 'Second')).data!['createHousehold'] as { id: string };
    await invite(a, first.id, b.id);
    await invite(a, first.id, d.id);
    expect((await accept(d, first.id)).codes).toEqual(['ALREADY_IN_HOUSEHOLD']);
    expect((await accept(b, first.id)).codes).toEqual([]);
    // b's invitation elsewhere lapses once b is in a household.
    await invite(d, second.id, b.id);
    expect((await leave(b)).codes).toEqual([]);
    expect((await accept(b, second.id)).codes).toEqual([]);
    expect((await accept(b, first.id)).codes).toEqual(['NO_INVITATION']);
    const [lapsed] = await t.sql`SELECT status FROM users.household_invitations WHERE invitee_id = ${b.id} AND household_id = ${first.id} ORDER BY created_at DESC LIMIT 1`;
    expect(lapsed!['status']).toBe('ACCEPTED');
    expect((await leave(b)).codes).toEqual([]);
    await invite(a, first.id, b.id);
    await invite(d, second.id, b.id);
    expect((await accept(b, first.id)).codes).toEqual([]);
    const [cancelled] = await t.sql`SELECT status FROM users.household_invitations WHERE invitee_id = ${b.id} AND household_id = ${second.id} ORDER BY created_at DESC LIMIT 1`;
    expect(cancelled!['status']).toBe('CANCELLED');
    expect((await leave(a)).codes).toEqual([]);
    const [row] = await t.sql`SELECT owner_id FROM users.households WHERE id = ${first.id}`;
    expect(row!['owner_id']).toBe(b.id);
    expect(second.id).toBeDefined();
  });
});

describe('the size cap', () => {
  it('never lets racing accepts for the last seats exceed it', async () => {
    const owner = await person();
    const h = (await create(owner, 'Crowded')).data!['createHousehold'] as { id: string; maxMembers: number };
    const guests = await Promise.all(Array.from({ length: 12 }, () => person()));
    for (const g of guests) expect((await invite(owner, h.id, g.id)).codes).toEqual([]);
    const answers = await Promise.all(guests.map((g) => accept(g, h.id)));
    const seats = h.maxMembers - 1;
    expect(answers.filter((x) => x.codes.length === 0)).toHaveLength(seats);
    expect(answers.filter((x) => x.codes.length > 0).map((x) => x.codes)).toEqual(Array.from({ length: guests.length - seats }, () => ['HOUSEHOLD_FULL']));
    const [n] = await t.sql`SELECT count(*)::int AS n FROM users.users WHERE household_id = ${h.id}`;
    expect(n!['n']).toBe(h.maxMembers);
    const extra = await person();
    expect((await invite(owner, h.id, extra.id)).codes).toEqual(['HOUSEHOLD_FULL']);
  });

  it('refuses ids that are not ids before they reach SQL', async () => {
    const someone = await person();
    expect((await accept(someone, 'not-an-id')).codes).toEqual(['BAD_USER_INPUT']);
    expect((await invite(someone, randomUUID(), "' OR 1=1 --")).codes).toEqual(['BAD_USER_INPUT']);
  });
});
