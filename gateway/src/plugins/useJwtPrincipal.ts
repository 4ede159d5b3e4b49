import { ANONYMOUS, ROLES, type Principal } from '@greenpoints/common';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { jwtVerify } from 'jose';
import { z } from 'zod';

export interface PrincipalContext {
  principal?: Principal;
}

const claimsSchema = z
  .object({
    sub: z.string().min(1).optional(),
    role: z.enum(ROLES).exclude(['anonymous']),
    merchant_id: z.string().min(1).optional(),
    partner_id: z.string().min(1).optional(),
    scope: z.string().optional(),
  })
  .refine((c) => c.role !== 'consumer' || c.sub, { message: 'a consumer token needs sub' })
  .refine((c) => c.role !== 'merchant' || c.merchant_id, { message: 'a merchant token needs merchant_id' })
  .refine((c) => c.role !== 'partner' || c.partner_id, { message: 'a partner token needs partner_id' });

const unauthenticated = (message: string) =>
  new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
  });

/** Verifies `Authorization: Bearer <HS256 JWT>`; no header means an anonymous principal, a bad token a 401. */
export async function principalFromAuthorization(header: string | null, key: Uint8Array): Promise<Principal> {
  if (!header) return ANONYMOUS;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthenticated('Authorization must be "Bearer <token>"');
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(match[1], key, { algorithms: ['HS256'] }));
  } catch {
    throw unauthenticated('Invalid or expired token');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw unauthenticated('Token claims are not valid');
  const c = claims.data;
  return {
    role: c.role,
    scopes: c.scope ? c.scope.split(' ').filter(Boolean) : [],
    ...(c.sub ? { sub: c.sub } : {}),
    ...(c.merchant_id ? { merchantId: c.merchant_id } : {}),
    ...(c.partner_id ? { partnerId: c.partner_id } : {}),
  };
}

/** Puts the verified principal on the GraphQL context for every later plugin and the subgraph signer. */
export function useJwtPrincipal(secret: string): GatewayPlugin<PrincipalContext> {
  const key = new TextEncoder().encode(secret);
  return {
    async onContextBuilding({ context, extendContext }) {
      extendContext({ principal: await principalFromAuthorization(context.request.headers.get('authorization'), key) });
    },
  };
}
