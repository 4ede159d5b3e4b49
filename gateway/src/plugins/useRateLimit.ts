import type { Principal } from '@greenpoints/common';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Logger } from '@greenpoints/common';
import type { SecuritySettings } from '../config.ts';
import type { Charge, QuotaStore } from '../limits/quotaStore.ts';
import { principalOf } from './useJwtPrincipal.ts';

/** Who a request counts against: the principal, or the client's address when anonymous. */
export function rateLimitKey(principal: Principal, address: string | undefined): string {
  const id = principal.sub ?? principal.merchantId ?? principal.partnerId;
  return id ? `${principal.role}:${id}` : `ip:${address ?? 'unknown'}`;
}

/** Charges one request to its caller's budget: null when it may go on, else the 429 to answer. */
export type RateLimiter = (request: Request, serverContext: unknown) => Promise<Response | null>;

/**
 * Requests per principal per window (a budget of one unit per request in the shared quota store);
 * over it, 429 with Retry-After. If the shared store is down the request is served (and logged):
 * losing rate limits is better than losing the graph.
 */
export function createRateLimiter(store: QuotaStore, settings: SecuritySettings['rateLimit'], logger: Logger): RateLimiter {
  return async (request, serverContext) => {
    const principal = principalOf(request);
    const address = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress;
    const max = principal.role === 'anonymous' ? settings.anonymousMax : settings.max;
    let charge: Charge;
    try {
      charge = await store.charge([{ key: `rate:${rateLimitKey(principal, address)}`, max, windowMs: settings.windowMs }], 1);
    } catch (err) {
      logger.warn({ err }, 'rate-limit store unavailable; request served without a limit');
      return null;
    }
    if (charge.ok) return null;
    const retryAfterS = Math.max(1, Math.ceil(charge.retryAfterMs / 1000));
    return new Response(JSON.stringify({ errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfterS } }] }), {
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterS) },
    });
  };
}

/**
 * Every GraphQL request is charged after its token is verified and before anything is parsed, so
 * a flood costs almost nothing. (The report pictures, served before parsing, charge the same
 * limiter themselves: see useReportImages.)
 */
export function useRateLimit(limit: RateLimiter): GatewayPlugin {
  return {
    async onRequestParse({ request, serverContext, endResponse }) {
      const refusal = await limit(request, serverContext);
      if (refusal) endResponse(refusal);
    },
  };
}
