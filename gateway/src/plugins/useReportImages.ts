import { ANONYMOUS, routeBody, signRequest } from '@greenpoints/common';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { subgraphOrigins } from '../subgraphOrigins.ts';
import type { RateLimiter } from './useRateLimit.ts';

/** Pictures of reports the gateway serves for green-impact, by path. */
const REPORT_PATHS = new Set(['/reports/green-impact.svg']);
const TIMEOUT_MS = 10_000;

/** green-impact's base URL: an override, or its URL in the supergraph. */
export function greenImpactUrl(supergraph: string, overrides: Record<string, string> | undefined): string | null {
  return subgraphOrigins(supergraph, overrides)['green-impact'] ?? null;
}

/**
 * GET /reports/green-impact.svg?…: a user's report as an SVG, for the consumer app's <img>. The
 * URL is signed by green-impact and works for a few minutes (it authorises the one picture, so no
 * token is needed); the gateway passes it on signed like every subgraph request, so the route is
 * reached only through here, and green-impact checks the URL's own signature. Each picture is
 * charged to the caller's rate limit (by address: it carries no token) like any GraphQL request,
 * since it is answered before the GraphQL pipeline that charges those.
 */
export function useReportImages(baseUrl: string | null, secret: string, limit: RateLimiter): GatewayPlugin {
  return {
    async onRequest({ url, request, serverContext, endResponse, fetchAPI }) {
      if (!REPORT_PATHS.has(url.pathname)) return;
      if (request.method !== 'GET' || !baseUrl) {
        endResponse(new fetchAPI.Response('Not found', { status: request.method === 'GET' ? 404 : 405 }));
        return;
      }
      const refusal = await limit(request, serverContext);
      if (refusal) {
        endResponse(refusal);
        return;
      }
      const target = new URL(`${url.pathname}${url.search}`, baseUrl);
      const headers = signRequest({ principal: ANONYMOUS, subgraph: 'green-impact', body: routeBody(target) }, secret);
      try {
        const upstream = await fetch(target, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
        const passOn = ['content-type', 'cache-control', 'content-security-policy', 'x-content-type-options'];
        const out = new fetchAPI.Headers();
        for (const h of passOn) {
          const v = upstream.headers.get(h);
          if (v) out.set(h, v);
        }
        endResponse(new fetchAPI.Response(await upstream.text(), { status: upstream.status, headers: out }));
      } catch {
        endResponse(new fetchAPI.Response('The report picture is unavailable; try again shortly.', { status: 503, headers: { 'retry-after': '5' } }));
      }
    },
  };
}
