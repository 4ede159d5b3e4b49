import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { serviceTracer, setServiceTracers, type TracingOptions } from './telemetry.ts';

// The OpenTelemetry SDK, loaded only by entry points that trace (not re-exported by the package
// index, so a process without tracing never loads it). Settings: telemetry.ts.

export interface Tracing {
  /** Exports every span ended so far. */
  flush(): Promise<void>;
  /** Flushes, then stops exporting; the process's tracers become no-ops again. */
  stop(): Promise<void>;
}

let running = false;

/**
 * Starts exporting spans for this process: registers the async context manager and the W3C
 * propagators (traceparent, baggage), and one batching exporter shared by every service's
 * tracer provider (one provider per `service.name`).
 */
export function startTracing(options: TracingOptions): Tracing {
  if (running) throw new Error('tracing is already started in this process');
  running = true;
  const exporter = new OTLPTraceExporter({ url: options.url, headers: options.headers ?? {} });
  const processor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.exportDelayMs ?? 2_000, maxQueueSize: 4_096 });
  const sampler = new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.samplingRatio ?? 1) });
  const providers = new Map<string, BasicTracerProvider>();
  const providerFor = (serviceName: string) => {
    let provider = providers.get(serviceName);
    if (!provider) {
      provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), sampler, spanProcessors: [processor] });
      providers.set(serviceName, provider);
    }
    return provider;
  };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  setServiceTracers(options, (serviceName) => providerFor(serviceName).getTracer('greenpoints'));
  // Libraries that ask the API for a tracer report as this process, except the gateway's plugin:
  // @graphql-hive/plugin-opentelemetry 1.5.3 reads its `traces.tracer` option before setting it,
  // so it always asks the API for a tracer named "gateway"; that one is the gateway's own.
  const processProvider = providerFor(options.serviceName);
  trace.setGlobalTracerProvider({
    getTracer: (name, version, opts) => (name === 'gateway' ? serviceTracer('gateway') : processProvider.getTracer(name, version, opts)),
  });
  return {
    flush: () => processor.forceFlush(),
    stop: async () => {
      await processor.forceFlush();
      await processor.shutdown();
      setServiceTracers(null, null);
      trace.disable();
      context.disable();
      propagation.disable();
      running = false;
    },
  };
}
