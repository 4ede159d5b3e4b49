// Proves that with trusted documents enforced, consumers and merchants run only the app's manifest while partners and analysts may send their own.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const manifest = JSON.parse(readFileSync(fileURLToPath(new URL('../../gateway/persisted-documents.json', import.meta.url)), 'utf8')) as {
  files: Record<string, string>;
};
const HOME = manifest.files['consumer-app/Home.graphql']!;
const MY_MERCHANT = manifest.files['merchant-console/MyMerchant.graphql']!;

let t: TestStack;
let consumer: string;

async function send(body: Record<string, unknown>, token?: string) {
  const res = await fetch(t.stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, { id?: string } | null>; errors?: { extensions?: { code?: string } }[] } };
}

beforeAll(async () => {
  t = await startTestStack({ relay: false, security: { trustedDocumentsOnly: true } });
  consumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
});
afterAll(() => t?.stop());

describe('trusted documents', () => {
  it('runs the consumer app’s home query by its id', async () => {
    const res = await send({ documentId: HOME }, consumer);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.['me']?.id).toBe(DEMO_CONSUMER_ID);
  });

  it('accepts the Apollo persisted-query form of the same id', async () => {
    const res = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: HOME } } }, consumer);
    expect(res.body.data?.['me']?.id).toBe(DEMO_CONSUMER_ID);
  });

  it('refuses a document outside the manifest from a consumer, a merchant and an anonymous caller', async () => {
    const merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
    for (const token of [consumer, merchant, undefined]) {
      const res = await send({ query: '{ catalog(first: 1) { edges { node { id } } } }' }, token);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    }
  });

  it('refuses an id that is not in the manifest', async () => {
    const res = await send({ documentId: 'f'.repeat(64) }, consumer);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('lets the merchant console run its own documents', async () => {
    const merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
    const res = await send({ documentId: MY_MERCHANT, variables: { id: DEMO_MERCHANT_ID } }, merchant);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.['merchant']?.id).toBe(DEMO_MERCHANT_ID);
  });

  it("runs the app's flows that write by their ids: sign-up and consent, a redemption at the price shown, the console's cancellation and refund", async () => {
    type Body = { data?: Record<string, Record<string, unknown> | null>; errors?: { extensions?: { code?: string; currentPointsCost?: number } }[] };
    const run = async (file: string, variables: Record<string, unknown>, token: string, operationName?: string) =>
      (await send({ documentId: manifest.files[file]!, variables, ...(operationName ? { operationName } : {}) }, token)).body as Body;
    // A new member signs up and consents, each by the app's document.
    const newcomer = await t.token({ role: 'consumer', sub: randomUUID() });
    const registered = await run('consumer-app/Register.graphql', { input: { displayName: '新会员', phone: '13900001111', ageBand: 'AGE_18_59' } }, newcomer);
    expect(registered.errors).toBeUndefined();
    const consented = await run('consumer-app/Consents.graphql', { kind: 'ANALYTICS' }, newcomer, 'GrantConsent');
    expect(consented.data?.['grantConsent']?.['consents']).toEqual([expect.objectContaining({ kind: 'ANALYTICS', granted: true })]);

    // The demo member redeems a reward they were shown; a price that changed since is refused, holding nothing.
    const page = await run('consumer-app/Catalog.graphql', { first: 5, filter: { affordableForMe: true } }, consumer);
    const shown = (page.data?.['catalog']?.['edges'] as { node: { id: string; currentPointsCost: number; terms: string; merchant: { id: string } } }[])[0]!.node;
    const balance = async () => (await t.sql`SELECT balance::int FROM ledger.accounts WHERE kind = 'USER' AND owner_id = ${DEMO_CONSUMER_ID} AND asset = 'POINTS'`)[0]!['balance'];
    const before = await balance();
    const stale = await run('consumer-app/Redeem.graphql', { rewardId: shown.id, expectedPointsCost: shown.currentPointsCost + 1, idempotencyKey: randomUUID() }, consumer);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'REWARD_CHANGED', currentPointsCost: shown.currentPointsCost });
    expect(await balance()).toBe(before);
    const redeemed = await run('consumer-app/Redeem.graphql', { rewardId: shown.id, expectedPointsCost: shown.currentPointsCost, idempotencyKey: randomUUID() }, consumer);
    expect(redeemed.errors).toBeUndefined();
    expect(redeemed.data?.['redeemReward']).toMatchObject({ status: 'POSTED', points: shown.currentPointsCost, terms: shown.terms });
    expect(await balance()).toBe(before - shown.currentPointsCost);
    // The merchant rewrites the terms later: the redemption keeps the ones the member redeemed under.
    await t.sql`UPDATE merchants.rewards SET terms = 'Void if not used within one hour.' WHERE id = ${shown.id}`;
    const admin = await t.token({ role: 'admin', sub: 'ops-1' });
    const history = await send({ query: `{ user(id: "${DEMO_CONSUMER_ID}") { points { redemptions(first: 1) { id terms reward { terms } } } } }` }, admin);
    const [latest] = (history.body.data?.['user'] as unknown as { points: { redemptions: { id: string; terms: string; reward: { terms: string } }[] } }).points.redemptions;
    expect(latest).toEqual({ id: redeemed.data!['redeemReward']!['id'], terms: shown.terms, reward: { terms: 'Void if not used within one hour.' } });

    // The reward's merchant cancels it from the console; the demo merchant records and refunds a purchase.
    const seller = await t.token({ role: 'merchant', merchantId: shown.merchant.id });
    const cancelled = await run('merchant-console/CancelRedemption.graphql', { redemptionId: redeemed.data!['redeemReward']!['id'], reason: '缺货' }, seller);
    expect(cancelled.data?.['cancelRedemption']?.['status']).toBe('CANCELLED');
    const merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
    const purchase = await run('merchant-console/RecordPurchase.graphql', { input: { userId: DEMO_CONSUMER_ID, merchantId: DEMO_MERCHANT_ID, amountMinor: 5_000 }, idempotencyKey: randomUUID() }, merchant);
    const refunded = await run('merchant-console/RefundPurchase.graphql', { purchaseId: purchase.data!['recordPurchase']!['id'], idempotencyKey: randomUUID() }, merchant);
    expect(refunded.data?.['refundPurchase']).toMatchObject({ status: 'REFUNDED', refundedMinor: 5_000 });
  });

  it('lets partners and analysts send documents of their own', async () => {
    for (const claims of [{ role: 'partner', partnerId: 'p-1' }, { role: 'analyst', sub: 'a-1' }]) {
      const res = await send({ query: '{ catalog(first: 1) { edges { node { id } } } }' }, await t.token(claims));
      expect(res.body.errors).toBeUndefined();
    }
  });
});
