// Proves no one reaches a subgraph around the gateway: unsigned, altered, replayed, misdirected and stale requests are all refused.
import { DEMO_CONSUMER_ID, signRequest, servicePrincipal, SIGNATURE_WINDOW_MS, type Principal } from '@greenpoints/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secrets, startTestStack, type TestStack } from '../helpers/stack.ts';

let t: TestStack;
const consumer: Principal = { role: 'consumer', sub: DEMO_CONSUMER_ID, scopes: [] };
const ME = JSON.stringify({ query: '{ me { id displayName phone } }' });

beforeAll(async () => {
  t = await startTestStack({ relay: false });
});
afterAll(() => t?.stop());

async function send(subgraph: string, body: string, headers: Record<string, string>) {
  const res = await fetch(t.stack.subgraphUrls[subgraph]!, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: (await res.json()) as { data?: { me?: { id: string }; emissionFactors?: unknown[] }; errors?: { extensions: { code: string } }[] } };
}

const sign = (subgraph: string, body: string, extra: { nowMs?: number; principal?: Principal } = {}) =>
  signRequest({ principal: extra.principal ?? consumer, subgraph, body, ...(extra.nowMs ? { nowMs: extra.nowMs } : {}) }, secrets.signingSecret);

describe('subgraphs accept only requests the gateway signed for them', () => {
  it('serves a correctly signed request once', async () => {
    const res = await send('users', ME, sign('users', ME));
    expect(res.status).toBe(200);
    expect(res.body.data?.me?.id).toBe(DEMO_CONSUMER_ID);
  });

  it('answers application/json whatever media types the caller accepts (one JSON result per request)', async () => {
    for (const accept of ['application/graphql-response+json, application/json, multipart/mixed', 'multipart/mixed', '']) {
      const res = await fetch(t.stack.subgraphUrls['users']!, { method: 'POST', headers: { 'content-type': 'application/json', accept, ...sign('users', ME) }, body: ME });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await res.json()) as { data: { me: { id: string } } }).data.me.id).toBe(DEMO_CONSUMER_ID);
    }
  });

  it('refuses an unsigned request', async () => {
    const res = await send('users', ME, {});
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses the same signed request a second time (replayed nonce)', async () => {
    const headers = sign('users', ME);
    expect((await send('users', ME, headers)).status).toBe(200);
    expect((await send('users', ME, headers)).status).toBe(401);
  });

  it('refuses signed headers reused with another body', async () => {
    const headers = sign('users', ME);
    const other = JSON.stringify({ query: '{ user(id: "00000000-0000-0000-0000-000000000000") { id phone } }' });
    expect((await send('users', other, headers)).status).toBe(401);
  });

  it('refuses headers signed for another subgraph', async () => {
    const body = JSON.stringify({ query: '{ emissionFactors { key } }' });
    expect((await send('green-impact', body, sign('ledger', body))).status).toBe(401);
  });

  it('refuses an altered principal', async () => {
    const headers = sign('users', ME);
    const admin = Buffer.from(JSON.stringify({ role: 'admin', scopes: [] })).toString('base64url');
    expect((await send('users', ME, { ...headers, 'x-greenpoints-principal': admin })).status).toBe(401);
  });

  it('refuses a stale or future timestamp', async () => {
    const old = sign('users', ME, { nowMs: Date.now() - SIGNATURE_WINDOW_MS - 5_000 });
    const future = sign('users', ME, { nowMs: Date.now() + SIGNATURE_WINDOW_MS + 5_000 });
    expect((await send('users', ME, old)).status).toBe(401);
    expect((await send('users', ME, future)).status).toBe(401);
  });

  it('refuses a signature made with another secret', async () => {
    const forged = signRequest({ principal: consumer, subgraph: 'users', body: ME }, 'greenpoints-dev-subgraph-signing-secreT');
    expect((await send('users', ME, forged)).status).toBe(401);
  });

  it('accepts a service principal signed the same way (subgraph-to-subgraph calls)', async () => {
    const body = JSON.stringify({ query: '{ emissionFactors { key } }' });
    const res = await send('green-impact', body, sign('green-impact', body, { principal: servicePrincipal('ledger') }));
    expect(res.status).toBe(200);
    expect(res.body.data?.emissionFactors?.length).toBeGreaterThan(0);
  });
});
