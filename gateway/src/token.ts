import { parseArgs } from 'node:util';
import { DEMO_CONSUMER_ID, DEV_JWT_SECRET, isMain, ROLES } from '@greenpoints/common';
import { SignJWT } from 'jose';

export interface TokenClaims {
  sub?: string | undefined;
  role: string;
  merchantId?: string | undefined;
  partnerId?: string | undefined;
  scope?: string | undefined;
}

/** Signs an HS256 token with the claims the gateway reads. */
export async function signToken(claims: TokenClaims, secret: string, expiresIn = '12h'): Promise<string> {
  const jwt = new SignJWT({
    role: claims.role,
    ...(claims.merchantId ? { merchant_id: claims.merchantId } : {}),
    ...(claims.partnerId ? { partner_id: claims.partnerId } : {}),
    ...(claims.scope ? { scope: claims.scope } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (claims.sub) jwt.setSubject(claims.sub);
  return jwt.sign(new TextEncoder().encode(secret));
}

// `npm run token -- --sub ID --role consumer`: prints a development token alone on its last line.
if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      role: { type: 'string', default: 'consumer' },
      'merchant-id': { type: 'string' },
      'partner-id': { type: 'string' },
      scope: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const role = values.role ?? 'consumer';
  if (!(ROLES as readonly string[]).includes(role) || role === 'anonymous') {
    console.error(`--role must be one of ${ROLES.filter((r) => r !== 'anonymous').join(', ')}`);
    process.exit(2);
  }
  const sub = values.sub ?? (role === 'consumer' ? DEMO_CONSUMER_ID : undefined);
  // Only this CLI reads env outside config.ts: it is a developer tool, not part of the service.
  const secret = process.env['JWT_SECRET'] ?? DEV_JWT_SECRET;
  if (!process.env['JWT_SECRET']) console.error('(signed with the development JWT secret)');
  console.log(await signToken({ sub, role, merchantId: values['merchant-id'], partnerId: values['partner-id'], scope: values.scope }, secret, values.expires));
}
