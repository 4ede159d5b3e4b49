// Proves that with trusted documents enforced, consumers and merchants run only the app's manifest while partners and analysts may send their own.
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

  it('lets partners and analysts send documents of their own', async () => {
    for (const claims of [{ role: 'partner', partnerId: 'p-1' }, { role: 'analyst', sub: 'a-1' }]) {
      const res = await send({ query: '{ catalog(first: 1) { edges { node { id } } } }' }, await t.token(claims));
      expect(res.body.errors).toBeUndefined();
    }
  });
});
