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
  it('forgets the oldest nonces past its bound, and then refuses what was signed before them', async () => {
    const store = memoryNonceStore(3);
    const t0 = Date.now();
    for (const [i, n] of ['a', 'b', 'c', 'd'].entries()) expect(await store.claim(n, 60_000, t0 + i)).toBe(true);
    expect(await store.claim('d', 60_000, t0 + 3)).toBe(false);
    // 'a' was let go while its signature was fresh: replayed, it is refused, not served again.
    expect(await store.claim('a', 60_000, t0)).toBe(false);
    // So is a new nonce signed as early; one signed later is served.
    expect(await store.claim('z', 60_000, t0)).toBe(false);
    expect(await store.claim('e', 60_000, t0 + 4)).toBe(true);
  });

  it('serves each of many fresh nonces once when over its bound, replays of every one refused', async () => {
    const store = memoryNonceStore(100);
    const t0 = Date.now();
    const nonces = Array.from({ length: 1_000 }, (_, i) => ({ nonce: `n-${i}`, at: t0 + Math.floor(i / 10) }));
    const first = await Promise.all(nonces.map((n) => store.claim(n.nonce, 120_000, n.at)));
    expect(first.filter(Boolean)).toHaveLength(1_000);
    const again = await Promise.all(nonces.map((n) => store.claim(n.nonce, 120_000, n.at)));
    expect(again.filter(Boolean)).toHaveLength(0);
  });

  it('keeps serving fresh requests from two signers 20 s apart once full, and refuses replays of what it let go', async () => {
    // 100 requests a second for 60 s through a store holding 30 s of them; every other one from a
    // signer whose clock runs 20 s ahead. (A store holding less time than the clocks disagree by
    // refuses the later clock's requests: fail closed, at 10,000 a second with the default bound.)
    let now = Date.now();
    const store = memoryNonceStore(3_000, () => now);
    const claims: { nonce: string; at: number }[] = [];
    const refused: string[] = [];
    for (let i = 0; i < 6_000; i++) {
      now += 10;
      const claim = { nonce: `n-${i}`, at: i % 2 ? now + 20_000 : now };
      claims.push(claim);
      if (!(await store.claim(claim.nonce, 120_000, claim.at))) refused.push(claim.nonce);
    }
    expect(refused).toEqual([]);
    // Every nonce, replayed now: the ones still held by memory, the ones let go by their time.
    const replays = await Promise.all(claims.map((c) => store.claim(c.nonce, 120_000, c.at)));
    expect(replays.filter(Boolean)).toHaveLength(0);
  });

  it('lets a nonce be used again after its time to live', async () => {
    const store = memoryNonceStore();
    expect(await store.claim('x', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(await store.claim('x', 1)).toBe(true);
  });
});
