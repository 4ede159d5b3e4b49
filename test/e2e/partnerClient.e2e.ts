// Proves the typed partner client, generated from the contract, syncs the whole catalogue page by page and reads a consenting member's balance against a real gateway.
import { DEMO_CONSUMER_ID, signRequest } from '@greenpoints/common';
import { createPartnerClient, MerchantsPageDocument, PartnerClientError, readMemberBalance, syncCatalog } from '@greenpoints/partner-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secrets, startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
});
afterAll(() => t?.stop());

describe('partner client', () => {
  it('syncs every reward of the catalogue, in order, through Relay cursors', async () => {
    const client = createPartnerClient({ url: t.stack.gatewayUrl, token: await t.token({ role: 'partner', partnerId: 'acme' }) });
    const rewards = await syncCatalog(client, 7);
    // Cheapest first by the cost in force now (the sale price inside its window), active merchants only.
    const expected = await t.sql`SELECT r.id FROM merchants.rewards r JOIN merchants.merchants m ON m.id = r.merchant_id
      WHERE m.status = 'ACTIVE' AND (r.stock IS NULL OR r.stock > 0) AND r.valid_from <= now() AND (r.valid_until IS NULL OR r.valid_until > now())
      ORDER BY CASE WHEN r.sale_points_cost IS NOT NULL AND r.sale_starts_at <= now() AND r.sale_ends_at > now() THEN r.sale_points_cost ELSE r.points_cost END, r.id`;
    expect(rewards.map((r) => r.id)).toEqual(expected.map((r) => r['id']));
    expect(new Set(rewards.map((r) => r.id)).size).toBe(rewards.length);
    expect(client.quota()?.remainingPerMinute).toEqual(expect.any(Number));
  });

  it('types its results from the contract and reports refusals with their code', async () => {
    const client = createPartnerClient({ url: t.stack.gatewayUrl, token: await t.token({ role: 'partner', partnerId: 'acme' }) });
    const page = await client.request(MerchantsPageDocument, { first: 3, after: null });
    expect(page.merchants.edges).toHaveLength(3);
    const refused = await client.request(MerchantsPageDocument, { first: 3, after: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PartnerClientError);
    expect((refused as PartnerClientError).code).toBe('BAD_USER_INPUT');
  });

  it("reads a member's balance only while the member lets partners see them (PARTNER_SHARING)", async () => {
    const client = createPartnerClient({ url: t.stack.gatewayUrl, token: await t.token({ role: 'partner', partnerId: 'acme' }) });
    const member = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    const consent = (verb: 'grantConsent' | 'revokeConsent') =>
      t.graphql(`mutation { ${verb}(kind: PARTNER_SHARING) { id } }`, {}, member).expect(200).then((r) => expect(r.body.errors).toBeUndefined());
    // The member's own view of their points is what the partner must see.
    const own = await t.graphql('{ me { displayName points { balance pending green: balance(asset: GREEN_POINTS) } } }', {}, member).expect(200);
    const { displayName, points } = own.body.data.me;

    expect(await readMemberBalance(client, DEMO_CONSUMER_ID)).toBeNull();
    await consent('grantConsent');
    expect(await readMemberBalance(client, DEMO_CONSUMER_ID)).toEqual({ displayName, points: points.balance, pendingPoints: points.pending, greenPoints: points.green });
    await consent('revokeConsent');
    expect(await readMemberBalance(client, DEMO_CONSUMER_ID)).toBeNull();
  });

  it('refuses the balance to anyone but a partner, and a partner cannot reach it around the users subgraph', async () => {
    const admin = await t.graphql(`{ user(id: "${DEMO_CONSUMER_ID}") { partnerBalance { points } } }`, {}, await t.token({ role: 'admin', sub: 'admin-1' }));
    expect(admin.body.errors[0].extensions.code).toBe('FORBIDDEN');
    // The consent flag the ledger relies on is not in any client's schema.
    const forged = await t.graphql(`{ user(id: "${DEMO_CONSUMER_ID}") { sharedWithPartner } }`, {}, await t.token({ role: 'partner', partnerId: 'acme' }));
    expect(forged.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // The ledger checks the flag itself: a representation without it (or false) gets no balance.
    for (const representation of [`{ __typename: "User", id: "${DEMO_CONSUMER_ID}" }`, `{ __typename: "User", id: "${DEMO_CONSUMER_ID}", sharedWithPartner: false }`]) {
      const body = JSON.stringify({ query: `{ _entities(representations: [${representation}]) { ... on User { partnerBalance { points } } } }` });
      const res = await fetch(t.stack.subgraphUrls['ledger']!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signRequest({ principal: { role: 'partner', partnerId: 'acme', scopes: [] }, subgraph: 'ledger', body }, secrets.signingSecret) },
        body,
      });
      const answer = (await res.json()) as { errors?: { extensions: { code: string } }[] };
      expect(answer.errors?.map((e) => e.extensions.code)).toEqual(['CONSENT_REQUIRED']);
    }
  });
});
