// Proves that the gateway's remembered authorization verdicts never let a field through: a verdict is
// kept per document and role only, never for documents whose fields depend on variables (@include,
// @skip), and many principals of different roles sending the same document at once each get their own answer.
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;
let consumer: string;
let merchant: string;
let admin: string;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
  consumer = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
  merchant = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
  admin = await t.token({ role: 'admin', sub: 'verdicts-admin' });
});
afterAll(() => t?.stop());

// Settlement prices: the merchant itself, admins and auditors only.
const PRICE = `query ($id: ID!) { merchant(id: $id) { id name settlementMinorPer100Points } }`;
const CONDITIONAL = `query ($id: ID!, $x: Boolean!) { merchant(id: $id) { id name settlementMinorPer100Points @include(if: $x) } }`;
const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

describe('remembered authorization verdicts', () => {
  it('keeps a verdict per role: an admin passing first never lets a consumer or an anonymous caller through', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await t.graphql(PRICE, { id: DEMO_MERCHANT_ID }, admin).expect(200);
      expect(ok.body.errors).toBeUndefined();
      expect(typeof ok.body.data.merchant.settlementMinorPer100Points).toBe('number');
    }
    for (let i = 0; i < 3; i++) {
      const refused = await t.graphql(PRICE, { id: DEMO_MERCHANT_ID }, consumer).expect(200);
      expect(codes(refused.body)).toEqual(['FORBIDDEN']);
      expect(refused.body.data.merchant).toMatchObject({ id: DEMO_MERCHANT_ID, settlementMinorPer100Points: null });
      const anonymous = await t.graphql(PRICE, { id: DEMO_MERCHANT_ID }).expect(200);
      expect(codes(anonymous.body)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('never remembers a document whose fields depend on variables: @include(if: true) after false is still refused', async () => {
    for (let i = 0; i < 3; i++) {
      const skipped = await t.graphql(CONDITIONAL, { id: DEMO_MERCHANT_ID, x: false }, consumer).expect(200);
      expect(skipped.body.errors).toBeUndefined();
    }
    const included = await t.graphql(CONDITIONAL, { id: DEMO_MERCHANT_ID, x: true }, consumer).expect(200);
    expect(codes(included.body)).toEqual(['FORBIDDEN']);
    expect(included.body.data.merchant.settlementMinorPer100Points).toBeNull();
  });

  it('answers many principals of four roles sending one document at once, each by its own role', async () => {
    const callers = [
      ...Array.from({ length: 15 }, () => ({ token: admin, allowed: true })),
      ...Array.from({ length: 15 }, () => ({ token: merchant, allowed: true })),
      ...Array.from({ length: 15 }, () => ({ token: consumer, allowed: false })),
      ...Array.from({ length: 15 }, () => ({ token: undefined, allowed: false })),
    ].sort(() => Math.random() - 0.5);
    const answers = await Promise.all(callers.map((c) => t.graphql(PRICE, { id: DEMO_MERCHANT_ID }, c.token).expect(200)));
    answers.forEach((res, i) => {
      const { allowed } = callers[i]!;
      expect(res.body.errors === undefined, `caller ${i}`).toBe(allowed);
      expect(res.body.data.merchant.settlementMinorPer100Points === null, `caller ${i}`).toBe(!allowed);
    });
  });
});
