import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for personal fields at rest. The key is derived from a configured secret, and every
 * ciphertext names the key that sealed it (`kid.iv.tag.data`), so a key can be rotated: new writes
 * use the current key while rows sealed under an older one stay readable until re-encrypted.
 */
function keyFrom(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** A short public name for a key, derived from it; it reveals nothing usable about the key. */
export function piiKeyId(secret: string): string {
  return createHash('sha256').update(`greenpoints-pii-key-id\u0000${secret}`).digest('hex').slice(0, 12);
}

export function encryptField(plain: string, secret: string, iv: Buffer = randomBytes(12)): string {
  const cipher = createCipheriv('aes-256-gcm', keyFrom(secret), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [piiKeyId(secret), ...[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'))].join('.');
}

/** The id of the key a ciphertext was sealed with; null for the three-part form written before key ids. */
export function keyIdOf(sealed: string): string | null {
  const parts = sealed.split('.');
  return parts.length === 4 ? (parts[0] ?? null) : null;
}

/**
 * Opens a sealed field with whichever of `secrets` sealed it (the current key first, then older
 * ones). A ciphertext without a key id predates rotation and was sealed with the first key.
 */
export function decryptField(sealed: string, secrets: string | readonly string[]): string {
  const keys = typeof secrets === 'string' ? [secrets] : secrets;
  const parts = sealed.split('.');
  const kid = parts.length === 4 ? parts.shift() : null;
  const secret = kid === null ? keys[0] : keys.find((k) => piiKeyId(k) === kid);
  if (secret === undefined) throw new Error(`no key with id ${String(kid)}`);
  const [iv, tag, data] = parts.map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !data || parts.length !== 3) throw new Error('malformed ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(secret), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}

/**
 * A keyed hash (HMAC-SHA256) of a normalised value, for uniqueness and look-up without storing the
 * value in clear. Its key is derived from a secret under its own label, so it differs from the
 * encryption key; it must stay the same across encryption-key rotations (uniqueness depends on it).
 */
export function blindIndex(normalised: string, secret: string): string {
  const key = createHash('sha256').update(`greenpoints-blind-index\u0000${secret}`).digest();
  return createHmac('sha256', key).update(normalised).digest('base64url');
}
