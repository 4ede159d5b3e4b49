// Proves who may see which user, and that phone numbers are masked for everyone but the owner and admins.
import { describe, expect, it } from 'vitest';
import { canSeeFullPhone, canSeeUser, maskPhone } from './visibility.ts';

const alice = { id: 'a', householdId: 'h1' };
const bob = { id: 'b', householdId: 'h1' };
const carol = { id: 'c', householdId: null };

describe('canSeeUser', () => {
  it('lets a consumer see themself and their household, nobody else', () => {
    const p = { role: 'consumer' as const, sub: 'a', scopes: [] };
    expect(canSeeUser(p, alice, alice)).toBe(true);
    expect(canSeeUser(p, alice, bob)).toBe(true);
    expect(canSeeUser(p, alice, carol)).toBe(false);
  });
  it('never matches two users without a household', () => {
    const p = { role: 'consumer' as const, sub: 'c', scopes: [] };
    expect(canSeeUser(p, carol, { id: 'd', householdId: null })).toBe(false);
  });
  it('lets staff see everyone and anonymous callers no one', () => {
    expect(canSeeUser({ role: 'auditor', scopes: [] }, null, carol)).toBe(true);
    expect(canSeeUser({ role: 'anonymous', scopes: [] }, null, carol)).toBe(false);
  });
});

describe('phone masking', () => {
  it('keeps the first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it('shows the full number only to the owner and admins', () => {
    expect(canSeeFullPhone({ role: 'consumer', sub: 'a', scopes: [] }, 'a')).toBe(true);
    expect(canSeeFullPhone({ role: 'consumer', sub: 'b', scopes: [] }, 'a')).toBe(false);
    expect(canSeeFullPhone({ role: 'admin', scopes: [] }, 'a')).toBe(true);
  });
});
