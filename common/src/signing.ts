import { createHash, createHmac, createSecretKey, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import { decodePrincipal, encodePrincipal, type Principal } from './principal.ts';

/**
 * Upstream request signing. The gateway (and a subgraph calling another subgraph) signs every
 * request it forwards; a subgraph serves nothing that fails `verifyRequest`. The MAC binds the
 * principal, the target subgraph, the exact body, a timestamp and a nonce, so a captured request
 * cannot be replayed, re-pointed at another subgraph or given another body.
 */
export const PRINCIPAL_HEADER = 'x-greenpoints-principal';
export const SUBGRAPH_HEADER = 'x-greenpoints-subgraph';
export const SIGNATURE_HEADER = 'x-greenpoints-signature';

/** How far a signature's timestamp may be from the verifier's clock, either way. */
export const SIGNATURE_WINDOW_MS = 60_000;
const VERSION = 'v1';

export const sha256 = (body: string | Uint8Array): string => createHash('sha256').update(body).digest('base64url');

/**
 * The secret as a key object, made once: `createHmac` with a string imports the key again on every
 * call. A process knows one secret, two while it is being rotated.
 */
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 8) keys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

function mac(secret: string, parts: readonly string[]): string {
  return createHmac('sha256', keyOf(secret)).update(parts.join('\n')).digest('base64url');
}

export interface SignInput {
  principal: Principal | string;
  subgraph: string;
  body: string;
  nowMs?: number;
  nonce?: string;
}

/** The headers to add to one upstream request. `principal` may be given already encoded. */
export function signRequest(input: SignInput, secret: string): Record<string, string> {
  const principal = typeof input.principal === 'string' ? input.principal : encodePrincipal(input.principal);
  const ts = String(input.nowMs ?? Date.now());
  // 122 random bits; randomUUID draws from a pooled buffer, randomBytes(16) asked the system each call.
  const nonce = input.nonce ?? randomUUID();
  const signature = mac(secret, [VERSION, input.subgraph, principal, ts, nonce, sha256(input.body)]);
  return {
    [PRINCIPAL_HEADER]: principal,
    [SUBGRAPH_HEADER]: input.subgraph,
    [SIGNATURE_HEADER]: `${VERSION}.${ts}.${nonce}.${signature}`,
  };
}

/** Remembers nonces for the signature window, so each signed request is served at most once. */
export interface NonceStore {
  /**
   * True the first time a nonce is seen within `ttlMs`, false for a replay. `signedAtMs` is the
   * signature's timestamp: a bounded store refuses what is older than the nonces it has let go of.
   */
  claim(nonce: string, ttlMs: number, signedAtMs?: number): Promise<boolean>;
  close?(): Promise<void>;
}

export interface VerifyInput {
  headers: { principal?: string | undefined; subgraph?: string | undefined; signature?: string | undefined };
  /** The subgraph doing the verifying: a request signed for another one is refused. */
  subgraph: string;
  body: string;
  nowMs?: number;
}

export type VerifyResult = { ok: true; principal: Principal } | { ok: false; reason: string };

const SIGNATURE_PATTERN = /^v1\.(\d{1,15})\.([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/;

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks signature, target, body, freshness and (last, so junk never fills the store) the nonce. */
export async function verifyRequest(input: VerifyInput, secret: string, nonces: NonceStore): Promise<VerifyResult> {
  const { principal: encoded, subgraph, signature } = input.headers;
  if (!encoded || !subgraph || !signature) return { ok: false, reason: 'unsigned request' };
  const match = SIGNATURE_PATTERN.exec(signature);
  if (!match) return { ok: false, reason: 'malformed signature' };
  const [, ts = '', nonce = '', given = ''] = match;
  const expected = mac(secret, [VERSION, subgraph, encoded, ts, nonce, sha256(input.body)]);
  if (!equal(expected, given)) return { ok: false, reason: 'bad signature (altered principal, body or target)' };
  if (subgraph !== input.subgraph) return { ok: false, reason: `signed for another subgraph (${subgraph})` };
  if (Math.abs((input.nowMs ?? Date.now()) - Number(ts)) > SIGNATURE_WINDOW_MS) return { ok: false, reason: 'stale signature' };
  const principal = decodePrincipal(encoded);
  if (!principal) return { ok: false, reason: 'malformed principal' };
  if (!(await nonces.claim(nonce, 2 * SIGNATURE_WINDOW_MS, Number(ts)))) return { ok: false, reason: 'replayed nonce' };
  return { ok: true, principal };
}

/**
 * One process's nonce memory, bounded to `maxEntries`. Past the bound the oldest nonces are let go
 * even though their signatures are still fresh, and from then on a claim signed no later than the
 * newest one let go is refused: a replay of a forgotten nonce carries its old timestamp, so it is
 * refused too, where simply forgetting would have served it again. Only a process taking more than
 * `maxEntries` signed requests per signature window (over 1,600 a second at the default) gets
 * there, and then what it refuses is only what was signed that long ago; replicas share Redis.
 * Signers' clocks may disagree (within the window): a fresh request is refused only when the
 * memory holds less time than that disagreement (200,000 nonces in under 20 s for clocks 20 s
 * apart: 10,000 signed requests a second to one process). `clock` is for tests.
 */
export function memoryNonceStore(maxEntries = 200_000, clock: () => number = Date.now): NonceStore {
  /** Nonce → when its signature was made (the claim's time when not given). */
  const seen = new Map<string, number>();
  /** Signatures made at or before this are refused: the newest signing time among nonces let go unexpired. */
  let floor = -Infinity;
  return {
    claim(nonce, ttlMs, signedAtMs) {
      const now = clock();
      const signedAt = signedAtMs ?? now;
      if (signedAt <= floor) return Promise.resolve(false);
      const earlier = seen.get(nonce);
      if (earlier !== undefined && earlier + ttlMs > now) return Promise.resolve(false);
      seen.delete(nonce);
      seen.set(nonce, signedAt);
      // Map iteration is insertion order, so the first entries are the oldest.
      for (const [key, at] of seen) {
        const expired = at + ttlMs <= now;
        if (seen.size <= maxEntries && !expired) break;
        seen.delete(key);
        if (!expired) floor = Math.max(floor, at);
      }
      return Promise.resolve(true);
    },
  };
}
