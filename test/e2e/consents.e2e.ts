// Proves consents through the gateway: grants and revocations with time and notice version in an append-only history, and partners reading a profile only while PARTNER_SHARING is granted under a notice still in force (null with CONSENT_REQUIRED otherwise).
import { randomUUID } from 'node:crypto';
import { createLogger } from '@greenpoints/common';
import { defaultSecurity } from '@greenpoints/gateway';
import { startStack } from '@greenpoints/stack';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secrets, startTestStack, type TestStack } from '../helpers/stack.ts';

const GRANT = 'mutation ($k: ConsentKind!, $v: String) { grantConsent(kind: $k, noticeVersion: $v) { consents { kind granted noticeVersion at } } }';
const REVOKE = 'mutation ($k: ConsentKind!) { revokeConsent(kind: $k) { consents { kind granted } } }';
const HISTORY = '{ me { consentHistory { kind granted noticeVersion at } } }';

let t: TestStack;
let partner: string;
let serial = 0;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  partner = await t.token({ role: 'partner', partnerId: 'acme' });
});
afterAll(() => t?.stop());

async function person() {
  const id = randomUUID();
  const token = await t.token({ role: 'consumer', sub: id });
  const phone = `135${String(60_000_000 + ++serial).padStart(8, '0')}`;
  await t.graphql('mutation ($p: String!) { registerUser(input: { displayName: "同意者", phone: $p, ageBand: AGE_60_PLUS }) { id } }', { p: phone }, token).expect(200);
  return { id, token };
}

const codes = (body: { errors?: { extensions: { code: string } }[] }) => (body.errors ?? []).map((e) => e.extensions.code);

describe('consents', () => {
  it('keeps every answer with its time and notice version, and shows the current one per kind', async () => {
    const me = await person();
    const granted = await t.graphql(GRANT, { k: 'MARKETING', v: '2026-01' }, me.token).expect(200);
    expect(granted.body.data.grantConsent.consents).toEqual([{ kind: 'MARKETING', granted: true, noticeVersion: '2026-01', at: expect.any(String) }]);
    await t.graphql(GRANT, { k: 'MARKETING' }, me.token).expect(200); // the same answer again adds nothing
    await t.graphql(GRANT, { k: 'ANALYTICS' }, me.token).expect(200);
    const revoked = await t.graphql(REVOKE, { k: 'MARKETING' }, me.token).expect(200);
    expect(revoked.body.data.revokeConsent.consents).toEqual([{ kind: 'ANALYTICS', granted: true }, { kind: 'MARKETING', granted: false }]);
    await t.graphql(REVOKE, { k: 'PARTNER_SHARING' }, me.token).expect(200); // never granted: nothing to revoke
    const history = await t.graphql(HISTORY, {}, me.token).expect(200);
    expect(history.body.data.me.consentHistory.map((c: { kind: string; granted: boolean }) => [c.kind, c.granted])).toEqual([
      ['MARKETING', false], ['ANALYTICS', true], ['MARKETING', true],
    ]);
  });

  it('refuses consent to a notice no longer in force, and anyone who has not registered', async () => {
    const me = await person();
    expect(codes((await t.graphql(GRANT, { k: 'ANALYTICS', v: '2019-01' }, me.token).expect(200)).body)).toEqual(['NOTICE_OUTDATED']);
    const stranger = await t.token({ role: 'consumer', sub: randomUUID() });
    expect(codes((await t.graphql(GRANT, { k: 'ANALYTICS' }, stranger).expect(200)).body)).toEqual(['NOT_REGISTERED']);
  });

  it('keeps the history append-only in the database itself', async () => {
    const me = await person();
    await t.graphql(GRANT, { k: 'ANALYTICS' }, me.token).expect(200);
    await expect(t.sql`UPDATE users.consents SET granted = false WHERE user_id = ${me.id}`).rejects.toThrow(/append-only/);
    await expect(t.sql`DELETE FROM users.consents WHERE user_id = ${me.id}`).rejects.toThrow(/append-only/);
  });

  it('lets a partner read a profile only while PARTNER_SHARING is granted', async () => {
    const me = await person();
    const read = () => t.graphql(`{ user(id: "${me.id}") { id displayName ageBand } }`, {}, partner).expect(200);
    const before = await read();
    expect(before.body.data.user).toBeNull();
    expect(codes(before.body)).toEqual(['CONSENT_REQUIRED']);

    await t.graphql(GRANT, { k: 'PARTNER_SHARING' }, me.token).expect(200);
    const during = await read();
    expect(during.body.errors).toBeUndefined();
    expect(during.body.data.user).toEqual({ id: me.id, displayName: '同意者', ageBand: 'AGE_60_PLUS' });
    // Partners never reach the phone: it is not in their contract.
    const phone = await t.graphql(`{ user(id: "${me.id}") { phone } }`, {}, partner);
    expect(phone.status).toBe(400);

    await t.graphql(REVOKE, { k: 'PARTNER_SHARING' }, me.token).expect(200);
    const after = await read();
    expect(after.body.data.user).toBeNull();
    expect(codes(after.body)).toEqual(['CONSENT_REQUIRED']);
    // A user who does not exist is just null.
    const nobody = await t.graphql(`{ user(id: "${randomUUID()}") { id } }`, {}, partner).expect(200);
    expect(nobody.body.data).toEqual({ user: null });
    expect(nobody.body.errors).toBeUndefined();
  });

  it('stops sharing with partners once the notice a consent answered is superseded, unless the new one covers it', async () => {
    const me = await person();
    await t.graphql(GRANT, { k: 'PARTNER_SHARING' }, me.token).expect(200);
    const readAs = async (notice: { noticeVersion: string; noticesCovered?: string[] }) => {
      // The operator publishes a revised notice and restarts the graph on the same database.
      const revised = await startStack({
        db: { databaseUrl: t.databaseUrl, poolMax: 2, autocommitPoolMax: 1 },
        signingSecret: secrets.signingSecret,
        piiKey: secrets.piiKey,
        security: defaultSecurity(),
        logger: createLogger('silent'),
        gatewayPort: 0,
        subgraphBasePort: 0,
        relay: false,
        users: notice,
      });
      try {
        const res = await supertest(revised.gatewayUrl).post('').set('content-type', 'application/json').set('authorization', `Bearer ${partner}`)
          .send({ query: `{ user(id: "${me.id}") { id displayName } }` }).expect(200);
        return { user: res.body.data?.user ?? null, codes: codes(res.body) };
      } finally {
        await revised.stop();
      }
    };
    expect(await readAs({ noticeVersion: '2026-07' })).toEqual({ user: null, codes: ['CONSENT_REQUIRED'] });
    expect(await readAs({ noticeVersion: '2026-07', noticesCovered: ['2026-01'] })).toEqual({ user: { id: me.id, displayName: '同意者' }, codes: [] });
  });

  it('shows consents only to the user and staff', async () => {
    const me = await person();
    await t.graphql(GRANT, { k: 'ANALYTICS' }, me.token).expect(200);
    const auditor = await t.token({ role: 'auditor', sub: 'audit' });
    const seen = await t.graphql(`{ user(id: "${me.id}") { consents { kind } } }`, {}, auditor).expect(200);
    expect(seen.body.data.user.consents).toEqual([{ kind: 'ANALYTICS' }]);
    const analyst = await t.token({ role: 'analyst', sub: 'a' });
    const refused = await t.graphql(`{ user(id: "${me.id}") { consents { kind } } }`, {}, analyst).expect(200);
    expect(refused.body.data.user).toBeNull();
  });
});
