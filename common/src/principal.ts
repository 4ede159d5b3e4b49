import { z } from 'zod';

export const ROLES = ['anonymous', 'consumer', 'merchant', 'partner', 'analyst', 'admin', 'auditor', 'service'] as const;
export type Role = (typeof ROLES)[number];
/** Roles a client token may carry; `service` is only for subgraph-to-subgraph calls, signed in-house. */
export const CLIENT_ROLES = ROLES.filter((r): r is Exclude<Role, 'anonymous' | 'service'> => r !== 'anonymous' && r !== 'service');

/** Who is calling, as verified by the gateway and forwarded, signed, to every subgraph. */
export const principalSchema = z.object({
  role: z.enum(ROLES),
  sub: z.string().optional(),
  merchantId: z.string().optional(),
  partnerId: z.string().optional(),
  /** For `service` principals: the calling subgraph. */
  service: z.string().optional(),
  scopes: z.array(z.string()).default([]),
});
export type Principal = z.infer<typeof principalSchema>;

export const ANONYMOUS: Principal = { role: 'anonymous', scopes: [] };

/** A subgraph calling another subgraph (the ledger reserving stock at merchants, say). */
export const servicePrincipal = (service: string): Principal => ({ role: 'service', service, scopes: [] });

/** Admins and auditors see every user's data. */
export const isStaff = (principal: Principal): boolean => principal.role === 'admin' || principal.role === 'auditor';

/** Personal data rule shared by every subgraph: the person themself, or staff. */
export function isSelfOrStaff(principal: Principal, userId: string): boolean {
  return isStaff(principal) || (principal.role === 'consumer' && principal.sub === userId);
}

export function encodePrincipal(principal: Principal): string {
  return Buffer.from(JSON.stringify(principal)).toString('base64url');
}

export function decodePrincipal(encoded: string): Principal | null {
  try {
    const parsed = principalSchema.safeParse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
