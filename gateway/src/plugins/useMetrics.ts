import { timingSafeEqual } from 'node:crypto';
import type { GatewayConfigContext, GatewayPlugin } from '@graphql-hive/gateway-runtime';
import useMeshPrometheus from '@graphql-mesh/plugin-prometheus';
import { Registry } from 'prom-client';

export const METRICS_PATH = '/metrics';

function sameToken(header: string | null, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Prometheus metrics at /metrics through the runtime's own plugin: requests, errors, latency by
 * operation and phase, and subgraph execution latency and errors by subgraph. Each gateway gets
 * its own registry (tests and benches run several in one process). With a token configured,
 * scrapes must send it as a bearer token; without one the endpoint is not served in production.
 */
export function useMetrics(ctx: GatewayConfigContext, options: { production: boolean; token?: string | undefined }): GatewayPlugin[] {
  if (options.production && !options.token) return [];
  const guard: GatewayPlugin = {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== METRICS_PATH || !options.token) return;
      if (!sameToken(request.headers.get('authorization'), options.token)) endResponse(new Response('Unauthorized', { status: 401 }));
    },
  };
  const prometheus = useMeshPrometheus({
    log: ctx.log,
    registry: new Registry(),
    endpoint: METRICS_PATH,
    metrics: true,
    labels: { subgraphName: true },
  });
  return [guard, prometheus as GatewayPlugin];
}
