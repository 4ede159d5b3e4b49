import type { ApolloServerPlugin } from '@apollo/server';
import { context, propagation, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { z } from 'zod';

/**
 * OpenTelemetry traces, off unless an OTLP endpoint is configured (the standard variables). Every
 * service's config.ts spreads this shape, and its entry point calls `startTracing`. Spans go out
 * as OTLP over HTTP with JSON bodies, which the OpenTelemetry Collector, Jaeger, Tempo and most
 * vendors accept on port 4318.
 */
export const tracingConfigShape = {
  /** Base URL of an OTLP/HTTP receiver; spans go to `<it>/v1/traces`. Unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** The full traces URL, when it is not `<base>/v1/traces`. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  /** `key=value,key=value`, sent with every export (a vendor's API key, say). */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** Share of new traces recorded (a request arriving with a sampled parent is always recorded). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
};

/** What `tracingConfigShape` parses to (any service's settings that spread it). */
export interface TracingSettings {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_HEADERS?: string | undefined;
  OTEL_SERVICE_NAME?: string | undefined;
  OTEL_TRACES_SAMPLER_ARG?: number | undefined;
}

export interface TracingOptions {
  /** Where spans are posted (an OTLP/HTTP traces URL). */
  url: string;
  headers?: Record<string, string>;
  /** `service.name` of this process's own spans (OTEL_SERVICE_NAME). */
  serviceName: string;
  /** The one service this process runs (a subgraph on its own); absent when it runs several. */
  service?: string;
  samplingRatio?: number;
  /** How long spans wait to be batched before export (ms). */
  exportDelayMs?: number;
}

/**
 * The tracing options a process's settings ask for, or null when no endpoint is configured.
 * `service` names the one service it runs (`ledger`: spans are `greenpoints-ledger` unless
 * OTEL_SERVICE_NAME says otherwise); null for the one-process stack, whose services each report as
 * `greenpoints-<service>`.
 */
export function tracingOptions(settings: TracingSettings, service: string | null): TracingOptions | null {
  const base = settings.OTEL_EXPORTER_OTLP_ENDPOINT;
  const url = settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base.replace(/\/$/, '')}/v1/traces` : undefined);
  if (!url) return null;
  // The standard's format: comma-separated key=value pairs, values URL-encoded (a token may hold '=').
  const headers: Record<string, string> = {};
  for (const pair of (settings.OTEL_EXPORTER_OTLP_HEADERS ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  const serviceName = settings.OTEL_SERVICE_NAME ?? (service ? `greenpoints-${service}` : 'greenpoints');
  return { url, headers, serviceName, ...(service ? { service } : {}), samplingRatio: settings.OTEL_TRACES_SAMPLER_ARG ?? 1 };
}

/** Set by `startTracing` (tracing.ts): a service name → its tracer. */
let tracerOf: ((serviceName: string) => Tracer) | null = null;
let started: TracingOptions | null = null;

/** For tracing.ts only: route `serviceTracer` to the started SDK, or back to the no-op API. */
export function setServiceTracers(options: TracingOptions | null, tracer: ((serviceName: string) => Tracer) | null): void {
  started = options;
  tracerOf = tracer;
}

/**
 * The tracer of one service (`gateway`, `ledger`…). When this process runs several services (the
 * one-process stack), each still gets its own `service.name`, so a trace shows which service did
 * what. Without `startTracing` this is the API's no-op tracer: spans cost next to nothing.
 */
export function serviceTracer(service: string): Tracer {
  if (!started || !tracerOf) return trace.getTracer(service);
  return tracerOf(started.service === service ? started.serviceName : `greenpoints-${service}`);
}

/** Adds the active trace context (`traceparent`) to the headers of a call to another service. */
export function withTraceContext(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

/**
 * Names a subgraph's request span after its operation (`query`, `mutation RecordPurchase`) and
 * marks it failed with the error codes when the operation answered errors.
 */
export function useOperationSpan(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName }) {
          const span = trace.getActiveSpan();
          if (!span || !operation) return;
          span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
          span.setAttributes({ 'graphql.operation.type': operation.operation, ...(operationName ? { 'graphql.operation.name': operationName } : {}) });
        },
        async didEncounterErrors({ errors }) {
          const span = trace.getActiveSpan();
          if (!span) return;
          // Domain errors carry their code on the original error until the formatter copies it.
          const codeOf = (e: (typeof errors)[number]) => e.extensions?.['code'] ?? (e.originalError as { code?: unknown } | undefined)?.code;
          const codes = [...new Set(errors.map((e) => String(codeOf(e) ?? 'INTERNAL_SERVER_ERROR')))];
          span.setAttribute('graphql.error.codes', codes);
          span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(',') });
        },
      };
    },
  };
}
