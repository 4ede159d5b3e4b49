import { ANONYMOUS, canonicalId, CLIENT_ROLES, type Principal } from '@greenpoints/common';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { SecuritySettings } from '../config.ts';

export interface PrincipalContext {
  principal?: Principal;
}

const claimsSchema = z
  .object({
    sub: z.string().min(1).max(200).optional(),
    role: z.enum(CLIENT_ROLES),
    merchant_id: z.string().min(1).max(200).optional(),
    partner_id: z.string().min(1).max(200).optional(),
    scope: z.string().max(2_000).optional(),
  })
  .refine((c) => c.role !== 'consumer' || c.sub, { message: 'a consumer token needs sub' })
  .refine((c) => c.role !== 'merchant' || c.merchant_id, { message: 'a merchant token needs merchant_id' })
  .refine((c) => c.role !== 'partner' || c.partner_id, { message: 'a partner token needs partner_id' });

export const unauthenticated = (message: string) =>
  new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
  });

export type TokenVerifier = (header: string | null) => Promise<Principal>;

/**
 * Verifies `Authorization: Bearer <JWT>`: HS256 with a shared secret, or keys from a JWKS URL
 * (jose caches them by `kid` and refetches on an unknown `kid`, which is how keys rotate). `exp`
 * is required; `iss` and `aud` are checked when configured; clocks may differ by a little.
 * No header is the anonymous principal; a bad or expired token is a 401.
 */
export function createTokenVerifier(jwt: SecuritySettings['jwt']): TokenVerifier {
  // The shared secret is imported once: given raw bytes, jose imports them again for every token.
  const key: Promise<CryptoKey> | JWTVerifyGetKey = jwt.jwksUrl
    ? createRemoteJWKSet(new URL(jwt.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000, timeoutDuration: 5_000 })
    : crypto.subtle.importKey('raw', new TextEncoder().encode(jwt.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  // Handled here so a key that cannot be imported fails each verification (a 401), not the process.
  if (key instanceof Promise) key.catch(() => {});
  const options = {
    algorithms: jwt.jwksUrl ? ['RS256', 'ES256', 'EdDSA'] : ['HS256'],
    requiredClaims: ['exp'],
    clockTolerance: jwt.clockSkewS,
    ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
    ...(jwt.audience ? { audience: jwt.audience } : {}),
  };
  const verified = verifiedTokens();
  return async (header) => {
    if (!header) return ANONYMOUS;
    const match = /^Bearer\s+(\S{1,8192})$/i.exec(header);
    if (!match?.[1]) throw unauthenticated('Authorization must be "Bearer <token>"');
    const token = match[1];
    const known = verified.get(token);
    if (known) return known;
    let payload: { exp?: number };
    try {
      ({ payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, await key, options));
    } catch {
      throw unauthenticated('Invalid or expired token');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated('Token claims are not valid');
    const c = claims.data;
    return verified.set(token, (payload.exp ?? 0) * 1000, {
      role: c.role,
      scopes: c.scope ? c.scope.split(' ').filter(Boolean) : [],
      // Ids in one form from here on: an upper-cased UUID in a token is the same person.
      ...(c.sub ? { sub: canonicalId(c.sub) } : {}),
      ...(c.merchant_id ? { merchantId: canonicalId(c.merchant_id) } : {}),
      ...(c.partner_id ? { partnerId: c.partner_id } : {}),
    });
  };
}

/** How long a verified token is taken on trust before its signature is checked again. */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/**
 * Tokens already verified, by their exact text: a client sends the same token with every request,
 * and checking its signature each time costs more CPU than anything else the gateway does for a
 * small query. An entry serves for a minute at most and never past the token's own expiry (no
 * clock tolerance on a cached token); any other text, a tampered one included, is verified in full.
 * Bounded: the oldest entries go first.
 */
function verifiedTokens() {
  const entries = new Map<string, { principal: Principal; until: number }>();
  return {
    get(token: string): Principal | undefined {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (entry.until > Date.now()) return entry.principal;
      entries.delete(token);
      return undefined;
    },
    set(token: string, expiresAtMs: number, principal: Principal): Principal {
      const until = Math.min(expiresAtMs, Date.now() + VERIFIED_TTL_MS);
      if (until > Date.now()) {
        // Shared by every request with this token: nobody may change it.
        Object.freeze(principal.scopes);
        entries.set(token, { principal: Object.freeze(principal), until });
        // Map iteration is insertion order: the first entry is the oldest.
        if (entries.size > VERIFIED_MAX) entries.delete(entries.keys().next().value!);
      }
      return principal;
    },
  };
}

const principals = new WeakMap<Request, Principal>();

/** The principal verified for this HTTP request; anonymous before verification. */
export const principalOf = (request: Request | undefined): Principal => (request ? principals.get(request) : undefined) ?? ANONYMOUS;

/**
 * Verifies the token once per HTTP request, before parsing, so the limits, trusted documents and
 * the partner contract (which run during parse and validation, before any context exists) know
 * who is asking; then puts the principal on the GraphQL context for the rest, the signer included.
 */
export function useJwtPrincipal(verify: TokenVerifier): GatewayPlugin<PrincipalContext> {
  return {
    async onRequestParse({ request }) {
      principals.set(request, await verify(request.headers.get('authorization')));
    },
    onContextBuilding({ context, extendContext }) {
      extendContext({ principal: principalOf(context.request) });
    },
  };
}
