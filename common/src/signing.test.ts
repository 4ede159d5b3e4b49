// Proves the upstream signature binds principal, subgraph, body, time and nonce, and that nonce memory stays bounded.
import { describe, expect, it } from 'vitest';
import { memoryNonceStore, signRequest, verifyRequest, type VerifyInput } from './signing.ts';

const SECRET = 'a-test-secret-of-enough-length';
const principal = { role: 'consumer' as const, sub: 'u1', scopes: [] };

function input(headers: Record<string, string>, overrides: Partial<VerifyInput> = {}): VerifyInput {
  return {
    headers: { principal: headers['x-greenpoints-principal'], subgraph: headers['x-greenpoints-subgraph'], signature: headers['x-greenpoints-signature'] },
    subgraph: 'ledger',
    body: '{"query":"{a}"}',
    ...overrides,
  };
}

describe('verifyRequest', () => {
  it('accepts a fresh signature once and returns the principal', async () => {
    const store = memoryNonceStore();
    const headers = signRequest({ principal, subgraph: 'ledger', body: '{"query":"{a}"}' }, SECRET);
    expect(await verifyRequest(input(headers), SECRET, store)).toEqual({ ok: true, principal });
    expect(await verifyRequest(input(headers), SECRET, store)).toMatchObject({ ok: false, reason: 'replayed nonce' });
  });

  it.each([
    ['another body', { body: '{"query":"{b}"}' }],
    ['another subgraph', { subgraph: 'users' }],
    ['a stale clock', { nowMs: Date.now() + 61_000 }],
  ])('refuses %s', async (_, overrides) => {
    const headers = signRequest({ principal, subgraph: 'ledger', body: '{"query":"{a}"}' }, SECRET);
    expect((await verifyRequest(input(headers, overrides), SECRET, memoryNonceStore())).ok).toBe(false);
  });

  it('refuses garbage in every header without throwing', async () => {
    for (const signature of ['', 'v1', 'v1.x.y.z', 'v2.1.aaaaaaaaaaaaaaaa.' + 'a'.repeat(43), '\u0000'.repeat(80)]) {
      const result = await verifyRequest({ headers: { principal: 'e30', subgraph: 'ledger', signature }, subgraph: 'ledger', body: '' }, SECRET, memoryNonceStore());
      expect(result.ok).toBe(false);
    }
  });
});

describe('memoryNonceStore', () => {
  it('forgets the oldest nonces past its bound, never growing without limit', async () => {
    const store = memoryNonceStore(3);
    for (const n of ['a', 'b', 'c', 'd']) expect(await store.claim(n, 60_000)).toBe(true);
    expect(await store.claim('d', 60_000)).toBe(false);
    expect(await store.claim('a', 60_000)).toBe(true);
  });

  it('lets a nonce be used again after its time to live', async () => {
    const store = memoryNonceStore();
    expect(await store.claim('x', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(await store.claim('x', 1)).toBe(true);
  });
});
