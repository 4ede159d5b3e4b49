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

/**
 * Requests per principal per window (a budget of one unit per request in the shared quota store);
 * over it, 429 with Retry-After. Runs after the token is
 * verified and before anything is parsed, so a flood costs almost nothing. If the shared store is
 * down the request is served (and logged): losing rate limits is better than losing the graph.
 */
export function useRateLimit(store: QuotaStore, settings: SecuritySettings['rateLimit'], logger: Logger): GatewayPlugin {
  return {
    async onRequestParse({ request, serverContext, endResponse }) {
      const principal = principalOf(request);
      const address = (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req?.socket?.remoteAddress;
      const max = principal.role === 'anonymous' ? settings.anonymousMax : settings.max;
      let charge: Charge;
      try {
        charge = await store.charge([{ key: `rate:${rateLimitKey(principal, address)}`, max, windowMs: settings.windowMs }], 1);
      } catch (err) {
        logger.warn({ err }, 'rate-limit store unavailable; request served without a limit');
        return;
      }
      if (charge.ok) return;
      const retryAfterS = Math.max(1, Math.ceil(charge.retryAfterMs / 1000));
      endResponse(
        new Response(JSON.stringify({ errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfterS } }] }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterS) },
        }),
      );
    },
  };
}
