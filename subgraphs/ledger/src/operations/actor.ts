import type { Principal } from '@greenpoints/common';

/** How the operation and audit logs name who acted. */
export const actorOf = (p: Principal): string => `${p.role}:${p.sub ?? p.merchantId ?? p.service ?? p.partnerId ?? '-'}`;
