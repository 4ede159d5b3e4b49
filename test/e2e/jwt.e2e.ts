// Proves the gateway accepts only tokens it can verify (exp required, iss/aud when configured, HS256 only with a secret), that a token's own scope grants nothing, and that JWKS keys rotate without a restart.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_CONSUMER_ID } from '@greenpoints/common';
import { defaultSecurity } from '@greenpoints/gateway';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startExtraGateway, type ExtraGateway } from '../helpers/gateway.ts';
import { secrets, startTestStack, type TestStack } from '../helpers/stack.ts';

const ME = '{ me { id } }';
const CONSUMER = { role: 'consumer', sub: DEMO_CONSUMER_ID };
const hs256 = new TextEncoder().encode(secrets.jwtSecret);

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ relay: false });
});
afterAll(() => t?.stop());

type Res = { status: number; body: { data?: { me?: { id: string } | null } | null; errors?: { extensions?: { code?: string } }[] } };

function expectAccepted(res: Res) {
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.me?.id).toBe(DEMO_CONSUMER_ID);
}

function expectUnauthenticated(res: Res) {
  expect(res.status).toBe(401);
  expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(res.body.data ?? null).toBeNull();
}

describe('HS256 tokens', () => {
  it('accepts a token signed with the secret, with an expiry', async () => {
    expectAccepted(await t.graphql(ME, {}, await new SignJWT(CONSUMER).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(hs256)));
  });

  it('refuses a token without exp', async () => {
    expectUnauthenticated(await t.graphql(ME, {}, await new SignJWT(CONSUMER).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(hs256)));
  });

  it('refuses an expired token (beyond the clock skew)', async () => {
    const past = Math.floor(Date.now() / 1000) - 3_600;
    const token = await new SignJWT(CONSUMER).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(past - 60).setExpirationTime(past).sign(hs256);
    expectUnauthenticated(await t.graphql(ME, {}, token));
  });

  it('refuses an unsigned token (alg: none)', async () => {
    expectUnauthenticated(await t.graphql(ME, {}, new UnsecuredJWT(CONSUMER).setExpirationTime('5m').encode()));
  });

  it('refuses an RS256 token when HS256 is configured', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    expectUnauthenticated(await t.graphql(ME, {}, await new SignJWT(CONSUMER).setProtectedHeader({ alg: 'RS256' }).setExpirationTime('5m').sign(privateKey)));
  });

  it('refuses a token signed with another secret', async () => {
    const other = new TextEncoder().encode('not-the-gateway-secret-at-all-0123456789');
    expectUnauthenticated(await t.graphql(ME, {}, await new SignJWT(CONSUMER).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(other)));
  });

  it('gives a consumer nothing for a scope claim of role:admin: another user\'s phone stays hidden', async () => {
    const [other] = await t.sql`SELECT id FROM users.users
      WHERE id <> ${DEMO_CONSUMER_ID} AND household_id IS DISTINCT FROM (SELECT household_id FROM users.users WHERE id = ${DEMO_CONSUMER_ID}) LIMIT 1`;
    const PHONE = 'query ($id: ID!) { user(id: $id) { id phone } }';
    const vars = { id: String(other!['id']) };
    const admin = await t.graphql(PHONE, vars, await t.token({ role: 'admin', sub: 'ops-1' })).expect(200);
    expect(admin.body.data.user.phone).toMatch(/^1\d{10}$/);

    const plain = await t.graphql(PHONE, vars, await t.token(CONSUMER)).expect(200);
    const scoped = await t.graphql(PHONE, vars, await t.token({ ...CONSUMER, scope: 'role:admin admin' })).expect(200);
    expect(scoped.body).toEqual(plain.body);
    expect(scoped.body.data.user?.phone ?? null).toBeNull();
  });
});

describe('issuer and audience, when configured', () => {
  const ISSUER = 'https://id.greenpoints.test';
  const AUDIENCE = 'greenpoints-api';
  let gw: ExtraGateway;
  beforeAll(async () => {
    gw = await startExtraGateway(t.stack.subgraphUrls, { jwt: { ...defaultSecurity().jwt, issuer: ISSUER, audience: AUDIENCE } });
  });
  afterAll(() => gw?.close());

  const sign = (claims: { iss?: string; aud?: string }) => {
    const jwt = new SignJWT(CONSUMER).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m');
    if (claims.iss) jwt.setIssuer(claims.iss);
    if (claims.aud) jwt.setAudience(claims.aud);
    return jwt.sign(hs256);
  };

  it('accepts the configured issuer and audience', async () => {
    expectAccepted(await gw.graphql(ME, {}, await sign({ iss: ISSUER, aud: AUDIENCE })));
  });

  it('refuses a wrong or missing issuer', async () => {
    expectUnauthenticated(await gw.graphql(ME, {}, await sign({ iss: 'https://evil.example', aud: AUDIENCE })));
    expectUnauthenticated(await gw.graphql(ME, {}, await sign({ aud: AUDIENCE })));
  });

  it('refuses a wrong or missing audience', async () => {
    expectUnauthenticated(await gw.graphql(ME, {}, await sign({ iss: ISSUER, aud: 'another-api' })));
    expectUnauthenticated(await gw.graphql(ME, {}, await sign({ iss: ISSUER })));
  });
});

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const signRs256 = (key: SigningKey, kid = key.kid) => new SignJWT(CONSUMER).setProtectedHeader({ alg: 'RS256', kid }).setExpirationTime('5m').sign(key.privateKey);

describe('JWKS', () => {
  /** What the identity provider publishes right now; the test rotates it. */
  let published: JWK[] = [];
  let jwks: Server;
  let gw: ExtraGateway;

  beforeAll(async () => {
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    gw = await startExtraGateway(t.stack.subgraphUrls, { jwt: { secret: '', jwksUrl, clockSkewS: 30 } });
  });
  afterAll(async () => {
    await gw?.close();
    jwks?.closeAllConnections();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('accepts a token signed with a published key, rotates to a new key without a restart, and refuses unknown keys', async () => {
    const first = await newKey('key-2026-01');
    published = [first.jwk];
    expectAccepted(await gw.graphql(ME, {}, await signRs256(first)));

    // The provider rotates: a new key under a new kid; the old one is withdrawn.
    const second = await newKey('key-2026-02');
    published = [second.jwk];
    // The gateway refetches the key set for an unknown kid at most once per 30 s cooldown (so forged
    // kids cannot make it hammer the provider); move the clock past it rather than sleep.
    vi.setSystemTime(Date.now() + 31_000);
    try {
      expectAccepted(await gw.graphql(ME, {}, await signRs256(second)));
    } finally {
      vi.useRealTimers();
    }

    const stranger = await newKey('key-unknown');
    expectUnauthenticated(await gw.graphql(ME, {}, await signRs256(stranger)));
    // A known kid does not help a token signed with another key.
    expectUnauthenticated(await gw.graphql(ME, {}, await signRs256(stranger, second.kid)));
    // HS256 with the development secret means nothing to a JWKS gateway.
    expectUnauthenticated(await gw.graphql(ME, {}, await new SignJWT(CONSUMER).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(hs256)));
  });
});
