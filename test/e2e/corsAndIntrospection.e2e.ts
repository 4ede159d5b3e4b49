// Proves CORS answers only allow-listed origins, GET queries need the CSRF header, introspection in production is for admins only, and a partner's introspection shows only its contract.
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExtraGateway, type ExtraGateway } from '../helpers/gateway.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const APP = 'https://app.example';
const EVIL = 'https://evil.example';
const SCHEMA_TYPES = '{ __schema { types { name } } }';

let t: TestStack;
let base: string;

beforeAll(async () => {
  t = await startTestStack({ relay: false, security: { corsOrigins: [APP] } });
  base = t.stack.gatewayUrl;
});
afterAll(() => t?.stop());

const preflight = (origin: string) =>
  fetch(base, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
  });

const postFrom = (origin: string) =>
  fetch(base, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });

describe('CORS', () => {
  it('allows the configured origin, on the preflight and on the request', async () => {
    const pre = await preflight(APP);
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP);
    const post = await postFrom(APP);
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('gives any other origin no Access-Control-Allow-Origin at all', async () => {
    for (const res of [await preflight(EVIL), await postFrom(EVIL)]) {
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });
});

describe('CSRF prevention', () => {
  const get = (headers: Record<string, string>) => fetch(`${base}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', ...headers } });

  it('refuses a GET query without the x-graphql-csrf header', async () => {
    const res = await get({});
    expect(res.status).toBe(403);
    const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toEqual(expect.any(String));
  });

  it('serves the same GET with the header', async () => {
    const res = await get({ 'x-graphql-csrf': '1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('introspection in production', () => {
  let gw: ExtraGateway;
  const tokens: Record<string, string | undefined> = {};
  beforeAll(async () => {
    gw = await startExtraGateway(t.stack.subgraphUrls, { production: true });
    tokens['consumer'] = await t.token({ role: 'consumer', sub: DEMO_CONSUMER_ID });
    tokens['partner'] = await t.token({ role: 'partner', partnerId: 'partner-1' });
    tokens['admin'] = await t.token({ role: 'admin', sub: 'ops-1' });
  });
  afterAll(() => gw?.close());

  it.each(['anonymous', 'consumer', 'partner'])('refuses __schema to %s', async (role) => {
    const res = await gw.graphql(SCHEMA_TYPES, {}, tokens[role]);
    expect(res.body.data?.__schema ?? null).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).not.toContain('"Mutation"');
  });

  it('refuses __type too, and suggests no field names', async () => {
    const type = await gw.graphql('{ __type(name: "User") { fields { name } } }', {}, tokens['consumer']);
    expect(type.body.data?.__type ?? null).toBeNull();
    const typo = await gw.graphql('{ merchantz(first: 1) { edges { node { id } } } }', {}, tokens['consumer']);
    expect(typo.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(typo.body)).not.toContain('Did you mean');
  });

  it('suggests no names in variable errors either (a misspelt input field of a trusted document)', async () => {
    const res = await gw.graphql(
      'query Catalog($filter: CatalogFilter) { catalog(first: 1, filter: $filter) { edges { node { id } } } }',
      { filter: { merchantIdz: 'x' } },
      tokens['consumer'],
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toMatch(/merchantIdz/);
    expect(JSON.stringify(res.body)).not.toContain('Did you mean');
    const enumTypo = await gw.graphql('query R($kind: RewardKind) { catalog(first: 1, filter: { kind: $kind }) { edges { node { id } } } }', { kind: 'GOODZ' }, tokens['consumer']);
    expect(enumTypo.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(enumTypo.body)).not.toContain('Did you mean');
  });

  it('answers an admin', async () => {
    const res = await gw.graphql(SCHEMA_TYPES, {}, tokens['admin']).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.__schema.types.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['Query', 'Mutation', 'User']));
  });
});

describe('a partner introspects only the partner contract', () => {
  it('has no Mutation type and no settlement price on Merchant', async () => {
    const partner = await t.token({ role: 'partner', partnerId: 'partner-1' });
    const res = await t
      .graphql('{ mutation: __type(name: "Mutation") { name } merchant: __type(name: "Merchant") { fields { name } } }', {}, partner)
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.mutation).toBeNull();
    const fields = res.body.data.merchant.fields.map((f: { name: string }) => f.name);
    expect(fields).toContain('name');
    expect(fields).not.toContain('settlementMinorPer100Points');
  });

  it('answers from the contract when the introspection comes through a fragment, or in one of two operations', async () => {
    const partner = await t.token({ role: 'partner', partnerId: 'partner-1' });
    const asked = 'mutation: __type(name: "Mutation") { name } merchant: __type(name: "Merchant") { fields { name } } analytics: __type(name: "Analytics") { name }';
    for (const [document, operationName] of [
      [`{ __typename ...F } fragment F on Query { ${asked} }`, undefined],
      [`{ __typename ... on Query { ${asked} } }`, undefined],
      [`query Data { __typename } query Schema { ${asked} }`, 'Schema'],
    ] as const) {
      const res = await fetch(base, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${partner}` },
        body: JSON.stringify({ query: document, ...(operationName ? { operationName } : {}) }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.mutation).toBeNull();
      expect(res.body.data.analytics).toBeNull();
      expect(res.body.data.merchant.fields.map((f: { name: string }) => f.name)).not.toContain('settlementMinorPer100Points');
    }
  });

  it('while the full graph still has both, for an admin', async () => {
    const admin = await t.token({ role: 'admin', sub: 'ops-1' });
    const res = await t.graphql('{ mutation: __type(name: "Mutation") { name } merchant: __type(name: "Merchant") { fields { name } } }', {}, admin).expect(200);
    expect(res.body.data.mutation).toEqual({ name: 'Mutation' });
    expect(res.body.data.merchant.fields.map((f: { name: string }) => f.name)).toContain('settlementMinorPer100Points');
  });
});
