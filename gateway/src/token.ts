import { parseArgs } from 'node:util';
import { CLIENT_ROLES, DEMO_CONSUMER_ID, DEV_JWT_SECRET, isMain } from '@greenpoints/common';
import { SignJWT } from 'jose';

export interface TokenClaims {
  sub?: string | undefined;
  role: string;
  merchantId?: string | undefined;
  partnerId?: string | undefined;
  scope?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}

/** Signs an HS256 token with the claims the gateway reads; it always expires. */
export async function signToken(claims: TokenClaims, secret: string, expiresIn: string | number = '12h'): Promise<string> {
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
  if (claims.issuer) jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

const USAGE = `usage: npm run token -- [--role ${CLIENT_ROLES.join('|')}] [--sub ID]
                      [--merchant-id M (required for merchant)] [--partner-id P (required for partner)]
                      [--scope "a b"] [--expires 12h]
Signs a development token with JWT_SECRET (or the development secret), JWT_ISSUER and JWT_AUDIENCE when set.`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

/** Reads and checks the command line; every mistake is a one-line reason plus usage, never a stack. */
export function tokenClaimsFromArgs(args: string[]): { claims: TokenClaims; expires: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        sub: { type: 'string' },
        role: { type: 'string', default: 'consumer' },
        'merchant-id': { type: 'string' },
        'partner-id': { type: 'string' },
        scope: { type: 'string' },
        expires: { type: 'string', default: '12h' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values['help']) fail('');
  const role = String(values['role']);
  if (!(CLIENT_ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${CLIENT_ROLES.join(', ')}`);
  if (role === 'merchant' && !values['merchant-id']) fail('a merchant token needs --merchant-id');
  if (role === 'partner' && !values['partner-id']) fail('a partner token needs --partner-id');
  const expires = String(values['expires']);
  if (!/^\d+\s*(s|m|h|d)$/.test(expires)) fail('--expires takes a duration such as 30m, 12h or 7d');
  const sub = (values['sub'] as string | undefined) ?? (role === 'consumer' ? DEMO_CONSUMER_ID : undefined);
  return {
    claims: { sub, role, merchantId: values['merchant-id'] as string | undefined, partnerId: values['partner-id'] as string | undefined, scope: values['scope'] as string | undefined },
    expires,
  };
}

// `npm run token -- --sub ID --role consumer`: prints a development token alone on its last line.
if (isMain(import.meta.url)) {
  const { claims, expires } = tokenClaimsFromArgs(process.argv.slice(2));
  // Only this CLI reads env outside config.ts: it is a developer tool, not part of the service.
  const secret = process.env['JWT_SECRET'] || DEV_JWT_SECRET;
  if (!process.env['JWT_SECRET']) console.error('(signed with the development JWT secret)');
  const issuer = process.env['JWT_ISSUER'] || undefined;
  const audience = process.env['JWT_AUDIENCE'] || undefined;
  console.log(await signToken({ ...claims, issuer, audience }, secret, expires));
}
