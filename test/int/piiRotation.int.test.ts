// Proves a PII key rotation keeps every phone readable: rows sealed under the old key open with the key ring, the rotation re-seals and re-hashes them all under the new key, and a second run changes nothing.
import { blindIndex, decryptField, DEV_PII_KEY, keyIdOf, piiKeyId } from '@greenpoints/common';
import { rotatePiiKey } from '@greenpoints/users/operations/rotatePiiKey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDb } from '../helpers/eventsDb.ts';

const NEW_KEY = 'greenpoints-test-pii-key-2027';
let t: FreshDb;

beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.drop());

const phones = async () => (await t.sql`SELECT id, phone_encrypted, phone_hash FROM users.users WHERE phone_encrypted IS NOT NULL ORDER BY id`).map((r) => ({ id: r['id'] as string, sealed: r['phone_encrypted'] as string, hash: r['phone_hash'] as string }));

describe('rotating the PII key', () => {
  it('re-seals and re-hashes every phone under the new key, every one still readable', async () => {
    const before = await phones();
    expect(before.length).toBeGreaterThan(250);
    const clear = new Map(before.map((p) => [p.id, decryptField(p.sealed, DEV_PII_KEY)]));

    expect(await rotatePiiKey(t.handle.db, { current: NEW_KEY, previous: [DEV_PII_KEY] }, 37)).toEqual({ resealed: before.length });
    const after = await phones();
    expect(after).toHaveLength(before.length);
    for (const p of after) {
      expect(keyIdOf(p.sealed)).toBe(piiKeyId(NEW_KEY));
      expect(decryptField(p.sealed, [NEW_KEY])).toBe(clear.get(p.id));
      expect(p.hash).toBe(blindIndex(clear.get(p.id)!, NEW_KEY));
    }
    expect(await rotatePiiKey(t.handle.db, { current: NEW_KEY, previous: [DEV_PII_KEY] })).toEqual({ resealed: 0 });
  });

  it('refuses a row whose key is not in the ring rather than losing it', async () => {
    await expect(rotatePiiKey(t.handle.db, { current: 'a-third-key', previous: [DEV_PII_KEY] })).rejects.toThrow(/no key with id/);
    // Nothing changed: the batch that failed rolled back.
    for (const p of await phones()) expect(keyIdOf(p.sealed)).toBe(piiKeyId(NEW_KEY));
  });
});
