import { serviceTracer } from '@greenpoints/common';
import type { GatewayConfigContext, GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { useOpenTelemetry } from '@graphql-hive/plugin-opentelemetry';

const TRACED_PATHS = new Set(['/graphql']);

/**
 * OpenTelemetry traces through the runtime's own plugin: a span per GraphQL request, its parse,
 * validate and execute phases, each subgraph call and its HTTP fetch, with `traceparent` sent to
 * the subgraphs (which continue the trace: common/src/subgraphServer.ts). Spans are made by the
 * gateway's tracer (service.name `greenpoints-gateway`), exported by whatever `startTracing` set up.
 * Scrapes, health checks and the dashboard's files are not traced. Documents are recorded as
 * attributes; variables never are.
 */
export function useTracing(ctx: GatewayConfigContext): GatewayPlugin {
  return useOpenTelemetry({
    ...ctx,
    traces: {
      tracer: serviceTracer('gateway'),
      spans: {
        http: ({ request }) => TRACED_PATHS.has(new URL(request.url).pathname),
        // Loading the supergraph is not a request anyone waits on.
        schema: false,
        initialization: false,
      },
    },
  }) as GatewayPlugin;
}
