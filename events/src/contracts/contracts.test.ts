// Proves the event contracts accept what services publish and refuse, with a readable reason, what they do not.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PERSONAL_FIELDS } from '../erasure.ts';
import { CONTRACTS, contractOf, typesOfStream, validatePayload, type EventContract } from './index.ts';

const userId = randomUUID();

describe('event contracts', () => {
  it('accept a valid payload and name its aggregate', () => {
    const payload = { userId, status: 'FROZEN', previousStatus: 'ACTIVE' };
    expect(validatePayload('UserStatusChanged', 1, payload)).toEqual({ ok: true, payload });
    expect(contractOf('UserStatusChanged').aggregate(payload)).toBe(`user:${userId}`);
  });

  it('refuse unknown types, unknown versions and extra or missing fields, saying why', () => {
    expect(validatePayload('UserExploded', 1, {})).toEqual({ ok: false, reason: 'unknown event type UserExploded' });
    expect(validatePayload('UserDeleted', 2, { userId })).toMatchObject({ ok: false, reason: expect.stringContaining('v2 is not a known version') });
    const extra = validatePayload('UserDeleted', 1, { userId, phone: '13800000000' });
    expect(extra).toMatchObject({ ok: false, reason: expect.stringContaining('UserDeleted v1 payload invalid') });
    const missing = validatePayload('PurchaseRecorded', 1, { purchaseId: randomUUID(), userId });
    expect(missing.ok).toBe(false);
  });

  it('give every stream its own types, and every type one stream', () => {
    const all = [...typesOfStream('users'), ...typesOfStream('merchants'), ...typesOfStream('ledger'), ...typesOfStream('green-impact')];
    expect(all.sort()).toEqual(Object.keys(CONTRACTS).sort());
    expect(typesOfStream('users')).toEqual([
      'UserRegistered', 'UserAgeBandChanged', 'UserStatusChanged', 'UserDeleted', 'HouseholdMemberJoined', 'HouseholdMemberLeft',
      'HouseholdCreated', 'HouseholdInviteSent', 'HouseholdInviteDeclined', 'HouseholdOwnershipTransferred', 'HouseholdDissolved',
    ]);
  });

  it('name the personal fields they carry, which account deletion erases, and accept a payload without them', () => {
    const personal = (Object.values(CONTRACTS) as EventContract[]).filter((c) => (c.personal ?? []).length > 0);
    expect(personal.map((c) => c.type)).toEqual(['UserRegistered', 'UserAgeBandChanged']);
    for (const c of personal) {
      for (const field of c.personal!) expect(PERSONAL_FIELDS).toContain(field);
      // Erasure finds a person's events by their aggregate.
      expect(c.aggregate({ userId })).toBe(`user:${userId}`);
    }
    const registered = { userId, status: 'ACTIVE', registeredAt: new Date().toISOString() };
    expect(validatePayload('UserRegistered', 1, { ...registered, ageBand: '60_PLUS' }).ok).toBe(true);
    expect(validatePayload('UserRegistered', 1, registered)).toEqual({ ok: true, payload: registered });
    expect(validatePayload('UserAgeBandChanged', 1, { userId, ageBand: 'UNDER_18' }).ok).toBe(true);
    expect(validatePayload('UserAgeBandChanged', 1, { userId })).toEqual({ ok: true, payload: { userId } });
    expect(validatePayload('UserAgeBandChanged', 1, { userId, ageBand: 'OLD' }).ok).toBe(false);
  });
});
