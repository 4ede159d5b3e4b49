import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const ROLES = ['anonymous', 'consumer', 'merchant', 'partner', 'analyst', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as verified by the gateway and forwarded, signed, to every subgraph. */
export const principalSchema = z.object({
  role: z.enum(ROLES),
  sub: z.string().optional(),
  merchantId: z.string().optional(),
  partnerId: z.string().optional(),
  scopes: z.array(z.string()).default([]),
});
export type Principal = z.infer<typeof principalSchema>;

export const ANONYMOUS: Principal = { role: 'anonymous', scopes: [] };

export const PRINCIPAL_HEADER = 'x-greenpoints-principal';
export const SIGNATURE_HEADER = 'x-greenpoints-signature';

/** A signed header older than this is refused, which bounds replay of a captured request. */
const MAX_AGE_MS = 5 * 60 * 1000;

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** Headers the gateway adds to each subgraph request: the principal and an HMAC over it. */
export function signPrincipal(principal: Principal, secret: string, nowMs = Date.now()): Record<string, string> {
  const payload = Buffer.from(JSON.stringify({ p: principal, iat: nowMs })).toString('base64url');
  return { [PRINCIPAL_HEADER]: payload, [SIGNATURE_HEADER]: mac(secret, payload) };
}

export type VerifyResult = { ok: true; principal: Principal } | { ok: false; reason: string };

/** Checks the gateway's signature; a subgraph serves nothing to a request that fails this. */
export function verifyPrincipal(
  payload: string | undefined,
  signature: string | undefined,
  secret: string,
  nowMs = Date.now(),
): VerifyResult {
  if (!payload || !signature) return { ok: false, reason: 'unsigned request' };
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'bad signature' };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed principal' };
  }
  const parsed = z.object({ p: principalSchema, iat: z.number() }).safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: 'malformed principal' };
  if (Math.abs(nowMs - parsed.data.iat) > MAX_AGE_MS) return { ok: false, reason: 'expired signature' };
  return { ok: true, principal: parsed.data.p };
}

/** Admins and auditors see every user's data. */
export const isStaff = (principal: Principal): boolean => principal.role === 'admin' || principal.role === 'auditor';

/** Personal data rule shared by every subgraph: the person themself, or staff. */
export function isSelfOrStaff(principal: Principal, userId: string): boolean {
  return isStaff(principal) || (principal.role === 'consumer' && principal.sub === userId);
}
