import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '@greenpoints/common';
import type { GatewayConfigContext, GatewayPlugin } from '@graphql-hive/gateway-runtime';
import useMeshPrometheus, { createCounter, createHistogram } from '@graphql-mesh/plugin-prometheus';
import { getOperationAST, type DocumentNode } from 'graphql';
import { Registry } from 'prom-client';
import { operationNameLabel } from '../metrics/boundedLabel.ts';
import { eventLagMetrics } from '../metrics/eventLagMetrics.ts';
import { useErrorCodeMetrics } from '../metrics/useErrorCodeMetrics.ts';

export const METRICS_PATH = '/metrics';

function sameToken(header: string | null, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface MetricsOptions {
  production: boolean;
  token?: string | undefined;
  /** Names of the trusted documents' operations: always their own `operationName` label value. */
  operationNames: Iterable<string>;
  /** For the event gauges: every subgraph's origin, and the secret that signs calls to them. */
  subgraphOrigins: Record<string, string>;
  signingSecret: string;
  logger: Logger;
}

export interface GatewayMetrics {
  /** First in the chain: the scrape guard and the runtime's Prometheus plugin. */
  plugins: GatewayPlugin[];
  /** Last in the chain: errors by code must see results after every plugin has set their codes. */
  afterResults: GatewayPlugin[];
}

interface Operation {
  document?: DocumentNode | undefined;
  operationName?: string | undefined;
  operationType?: string | undefined;
}
interface HttpOperation extends Operation {
  request: Request;
  response: Response;
}

/**
 * Prometheus metrics at /metrics through the runtime's own plugin: requests and latency by
 * operation, every phase, subgraph latency and errors by subgraph, errors by code, and event lag.
 * Each gateway gets its own registry (tests and benches run several in one process). With a token
 * configured, scrapes must send it as a bearer token; without one the endpoint is not served in
 * production.
 *
 * Labels stay bounded: the plugin's defaults would label request latency with the full URL (a GET
 * query string is unbounded) and every metric with whatever operation name a client sends. Here
 * the operation name is a label only on requests, request latency and execution latency, through
 * operationNameLabel (trusted documents' names, then at most 100 others, then `other`); the other
 * metrics drop it, and errors drop their response path.
 */
export function useMetrics(ctx: GatewayConfigContext, options: MetricsOptions): GatewayMetrics {
  if (options.production && !options.token) return { plugins: [], afterResults: [] };
  const registry = new Registry();
  const operationName = operationNameLabel(options.operationNames);
  // With the label switched off globally the envelop plugin drops `operationName` from what it
  // passes here, so the name is read from the document, as the plugin itself would.
  const byOperation = (p: Operation, context?: { params?: { operationName?: string } }) => {
    const name = p.operationName ?? (p.document ? getOperationAST(p.document, context?.params?.operationName)?.name?.value : undefined);
    return { operationName: operationName(name), operationType: p.operationType ?? 'unknown' };
  };
  const guard: GatewayPlugin = {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== METRICS_PATH || !options.token) return;
      if (!sameToken(request.headers.get('authorization'), options.token)) endResponse(new Response('Unauthorized', { status: 401 }));
    },
  };
  const prometheus = useMeshPrometheus({
    log: ctx.log,
    registry,
    endpoint: METRICS_PATH,
    metrics: {
      graphql_yoga_http_duration: createHistogram<'request', 'operationName' | 'operationType' | 'method' | 'statusCode', HttpOperation>({
        registry,
        histogram: {
          name: 'graphql_yoga_http_duration',
          help: 'Time from an HTTP request to its response, by GraphQL operation',
          labelNames: ['operationName', 'operationType', 'method', 'statusCode'],
        },
        fillLabelsFn: (p) => ({ ...byOperation(p), method: p.request.method, statusCode: p.response.status }),
      }),
      graphql_envelop_phase_execute: createHistogram<'execute', 'operationName' | 'operationType', Operation>({
        registry,
        histogram: { name: 'graphql_envelop_phase_execute', help: 'Time spent executing an operation (planning and subgraph calls), by operation', labelNames: ['operationName', 'operationType'] },
        fillLabelsFn: byOperation,
      }),
      graphql_envelop_request: createCounter<'execute' | 'subscribe', 'operationName' | 'operationType', Operation>({
        registry,
        counter: { name: 'graphql_envelop_request', help: 'GraphQL operations executed, by operation', labelNames: ['operationName', 'operationType'] },
        fillLabelsFn: byOperation,
      }),
      // Both repeat graphql_envelop_phase_execute; a summary cannot be aggregated across replicas.
      graphql_envelop_request_duration: false,
      graphql_envelop_request_time_summary: false,
      // Walks every document with type information on every request (1.5% of the gateway's CPU
      // under the home query); which deprecated fields the apps use is read from the trusted
      // documents' manifest instead.
      graphql_envelop_deprecated_field: false,
      // Parsing and validation are cached per document, so these phases measure a map lookup; the
      // HTTP fetch histogram repeats graphql_gateway_subgraph_execute_duration with a label built
      // from each call's URL. Together about a tenth of the metrics' cost per home query.
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_gateway_fetch_duration: false,
    },
    labels: { subgraphName: true, operationName: false, path: false },
  });
  eventLagMetrics(registry, { origins: options.subgraphOrigins, signingSecret: options.signingSecret, logger: options.logger });
  return { plugins: [guard, prometheus as GatewayPlugin], afterResults: [useErrorCodeMetrics(registry)] };
}
