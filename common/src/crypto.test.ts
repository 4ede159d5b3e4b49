// Proves sealed fields name their key, open under a rotated key ring (old and key-id-less forms too) and that the blind index is keyed.
import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blindIndex, decryptField, encryptField, keyIdOf, piiKeyId } from './crypto.ts';

describe('personal-field encryption', () => {
  it('names the sealing key and opens with it among several', () => {
    const sealed = encryptField('13812345678', 'key-2024');
    expect(keyIdOf(sealed)).toBe(piiKeyId('key-2024'));
    expect(decryptField(sealed, ['key-2025', 'key-2024'])).toBe('13812345678');
    expect(() => decryptField(sealed, ['key-2025'])).toThrow();
  });

  it('opens ciphertexts written before key ids with the first key', () => {
    const iv = Buffer.alloc(12, 1);
    const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update('old').digest(), iv);
    const data = Buffer.concat([cipher.update('13900000000', 'utf8'), cipher.final()]);
    const legacy = [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
    expect(keyIdOf(legacy)).toBeNull();
    expect(decryptField(legacy, 'old')).toBe('13900000000');
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = encryptField('13812345678', 'k');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => decryptField(parts.join('.'), 'k')).toThrow();
  });

  it('hashes one value the same way under one key and differently under another', () => {
    expect(blindIndex('13812345678', 'k')).toBe(blindIndex('13812345678', 'k'));
    expect(blindIndex('13812345678', 'k')).not.toBe(blindIndex('13812345678', 'other'));
    expect(blindIndex('13812345678', 'k')).not.toContain('13812345678');
  });
});
