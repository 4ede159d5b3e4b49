// Proves bad input gets a typed error code, no stack trace, and writes nothing; and that access rules hold.
import { randomUUID } from 'node:crypto';
import { DEMO_CONSUMER_ID, DEMO_MERCHANT_ID } from '@greenpoints/common';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const RECORD = `mutation ($input: PurchaseInput!, $key: ID!) { recordPurchase(input: $input, idempotencyKey: $key) { id points } }`;

let t: TestStack;
let merchantToken: string;

beforeAll(async () => {
  t = await startTestStack();
  merchantToken = await t.token({ role: 'merchant', merchantId: DEMO_MERCHANT_ID });
});
afterAll(() => t?.stop());

async function ledgerCounts() {
  const [row] = await t.sql`SELECT (SELECT count(*) FROM ledger.transactions)::int AS tx, (SELECT count(*) FROM ledger.postings)::int AS postings,
    (SELECT count(*) FROM ledger.lots)::int AS lots, (SELECT count(*) FROM ledger.purchases)::int AS purchases, (SELECT count(*) FROM ledger.outbox)::int AS outbox`;
  return row;
}

function expectClean(errors: { extensions: Record<string, unknown> }[]) {
  for (const e of errors) {
    expect(e.extensions['stacktrace']).toBeUndefined();
    expect(JSON.stringify(e)).not.toMatch(/at .+\.ts:\d+/);
  }
}

describe('bad input', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['an unknown merchant', { merchantId: randomUUID(), amountMinor: 1_000 }, 'UNKNOWN_MERCHANT'],
    ['a merchant id that is not an id', { merchantId: 'not-a-merchant', amountMinor: 1_000 }, 'UNKNOWN_MERCHANT'],
    ['a negative amount', { amountMinor: -500 }, 'BAD_USER_INPUT'],
    ['a zero amount', { amountMinor: 0 }, 'BAD_USER_INPUT'],
    ['a zero quantity', { amountMinor: 1_000, lines: [{ sku: 'FRUIT-MANGO-1KG', quantity: 0, unitPriceMinor: 1_000 }] }, 'BAD_USER_INPUT'],
    ['a purchase in the future', { amountMinor: 1_000, occurredAt: '2999-01-01T00:00:00Z' }, 'BAD_USER_INPUT'],
    ['a date that is not a date', { amountMinor: 1_000, occurredAt: 'yesterday' }, 'BAD_USER_INPUT'],
  ];

  for (const [name, override, code] of cases) {
    it(`refuses ${name} with ${code} and writes nothing`, async () => {
      const before = await ledgerCounts();
      const input = { userId: DEMO_CONSUMER_ID, merchantId: DEMO_MERCHANT_ID, ...override };
      const merchantId = String(input.merchantId);
      const token = merchantId === DEMO_MERCHANT_ID ? merchantToken : await t.token({ role: 'merchant', merchantId });
      const res = await t.graphql(RECORD, { input, key: randomUUID() }, token);
      expect(res.status).toBeLessThan(500);
      expect(res.body.data?.recordPurchase ?? null).toBeNull();
      expect(res.body.errors[0].extensions.code).toBe(code);
      expectClean(res.body.errors);
      expect(await ledgerCounts()).toEqual(before);
    });
  }

  it('refuses a fractional amount at the schema (points and money are integers)', async () => {
    const res = await t.graphql(RECORD, { input: { userId: DEMO_CONSUMER_ID, merchantId: DEMO_MERCHANT_ID, amountMinor: 10.5 }, key: randomUUID() }, merchantToken);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  // GraphQL over HTTP: with the graphql-response+json media type, a request error is a 400.
  it('answers a malformed query with a 400 and a parse error code', async () => {
    const res = await t.graphql('{ me { id ', {}).set('accept', 'application/graphql-response+json');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers an unknown field with a validation error code', async () => {
    const res = await t.graphql('{ me { id creditCardNumber } }', {}).set('accept', 'application/graphql-response+json');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a bad cursor and an oversized page', async () => {
    const cursor = await t.graphql('{ catalog(after: "garbage") { edges { cursor } } }');
    expect(cursor.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const big = await t.graphql('{ catalog(first: 10000) { edges { cursor } } }');
    expect(big.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('keeps serving after all of the above', async () => {
    const res = await t.graphql('{ merchants(first: 1) { edges { node { name } } } }').expect(200);
    expect(res.body.data.merchants.edges).toHaveLength(1);
  });
});

describe('identity and access', () => {
  it('refuses an invalid token with 401 UNAUTHENTICATED', async () => {
    const res = await t.graphql('{ me { id } }', {}, 'not.a.jwt');
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with another secret', async () => {
    const { signToken } = await import('@greenpoints/gateway');
    const forged = await signToken({ sub: DEMO_CONSUMER_ID, role: 'admin' }, 'someone-elses-secret-0123456789');
    expect((await t.graphql('{ me { id } }', {}, forged)).status).toBe(401);
  });

  it("does not let a consumer read another user's points", async () => {
    const [other] = await t.sql`SELECT id FROM users.users WHERE id <> ${DEMO_CONSUMER_ID} AND household_id IS NULL LIMIT 1`;
    const token = await t.token({ role: 'consumer', sub: String(other!['id']) });
    const res = await t.graphql(`query ($id: ID!) { user(id: $id) { points { balance } } }`, { id: DEMO_CONSUMER_ID }, token);
    expect(res.body.data?.user ?? null).toBeNull();
    const direct = await t.graphql('{ me { id points { balance } } }', {}, token).expect(200);
    expect(direct.body.data.me.id).toBe(other!['id']);
  });

  it("does not show a household member's points even though the member is visible", async () => {
    const token = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    const res = await t.graphql('{ me { household { members { id displayName phone points { balance } } } } }', {}, token);
    const codes = (res.body.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['FORBIDDEN']));
  });

  it('masks the phone number of everyone but the caller', async () => {
    const token = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    const res = await t.graphql('{ me { id phone household { members { id phone } } } }', {}, token).expect(200);
    const me = res.body.data.me;
    expect(me.phone).toMatch(/^1\d{10}$/);
    for (const m of me.household.members.filter((x: { id: string }) => x.id !== me.id)) expect(m.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
  });

  it('refuses requests that go around the gateway to a subgraph', async () => {
    const url = new URL(t.stack.subgraphUrls['ledger']!);
    const res = await supertest(url.origin).post(url.pathname).send({ query: '{ __typename }' });
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
