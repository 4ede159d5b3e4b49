import { afterEach, describe, expect, it, vi } from 'vitest';
import { signToken } from '../token.ts';
import { createTokenVerifier } from './useJwtPrincipal.ts';

const SECRET = 'unit-test-secret-of-enough-length-0123456789';
const verifier = () => createTokenVerifier({ secret: SECRET, clockSkewS: 0 });

afterEach(() => vi.useRealTimers());

describe('createTokenVerifier', () => {
  it('answers a token it verified from memory, the same principal, frozen', async () => {
    const verify = verifier();
    const token = await signToken({ role: 'consumer', sub: 'c0ffee00-0000-4000-8000-000000000001' }, SECRET);
    const first = await verify(`Bearer ${token}`);
    const second = await verify(`Bearer ${token}`);
    expect(second).toBe(first);
    expect(Object.isFrozen(second)).toBe(true);
    expect(() => (second.scopes as string[]).push('role:admin')).toThrow();
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z') });
    const verify = verifier();
    const token = await signToken({ role: 'consumer', sub: 'c0ffee00-0000-4000-8000-000000000002' }, SECRET, '10s');
    expect((await verify(`Bearer ${token}`)).role).toBe('consumer');
    vi.setSystemTime(new Date('2026-12-01T00:00:11Z'));
    await expect(verify(`Bearer ${token}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('verifies any other text in full, the same claims under a forged signature included, and still takes the token once its memory lapses', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z') });
    const verify = verifier();
    const token = await signToken({ role: 'merchant', merchantId: 'c0ffee00-0000-4000-8000-000000000003' }, SECRET);
    await verify(`Bearer ${token}`);
    // The same claims under another signature: a different text, so no memory of the first helps it.
    const [h, p] = token.split('.');
    await expect(verify(`Bearer ${h}.${p}.${'A'.repeat(43)}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    vi.setSystemTime(new Date('2026-12-01T00:01:01Z'));
    expect((await verify(`Bearer ${token}`)).role).toBe('merchant');
  });
});
