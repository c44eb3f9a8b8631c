import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** The service names traces carry (OTEL_SERVICE_NAME overrides them). */
export type ServiceName = 'precharge-api' | 'precharge-worker';

/**
 * Tracing in one process: the registered tracer provider (context propagation over AsyncLocalStorage, W3C trace
 * context), the processor its spans go to and the resource they carry. The worker hands both to Temporal's
 * interceptors, so a command's spans form one trace from the HTTP request through the Update to the activities.
 */
export interface Tracing {
  tracer: Tracer;
  processor: SpanProcessor;
  resource: Resource;
  /** Flushes what is still buffered, then unregisters the provider. */
  shutdown(): Promise<void>;
}

/** Tracing is on when an OTLP endpoint is configured (the standard variables) and the SDK is not disabled. */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_SDK_DISABLED !== 'true';
}

/**
 * Starts tracing for a process: spans exported over OTLP/HTTP in batches (OTEL_EXPORTER_OTLP_* and OTEL_BSP_* as the
 * SDK reads them, sampling by OTEL_TRACES_SAMPLER), or to `processor` when given (the tests' in-memory exporter).
 * Without either, nothing at all: no provider, no exporter, and the interceptors are left out.
 */
export function startTracing(service: ServiceName, opts: { processor?: SpanProcessor; env?: NodeJS.ProcessEnv; register?: boolean } = {}): Tracing | undefined {
  if (!opts.processor && !tracingConfigured(opts.env)) return undefined;
  const resource = Resource.default().merge(new Resource({ [ATTR_SERVICE_NAME]: service })).merge(envDetectorSync.detect());
  const processor = opts.processor ?? new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // `register: false`: a second provider in one process (the tests run the API and the worker together), its spans
  // carrying its own service name; context and propagation stay the registered one's.
  const register = opts.register !== false;
  if (register) provider.register();
  return {
    tracer: provider.getTracer(service),
    processor,
    resource,
    async shutdown() {
      await provider.shutdown();
      if (!register) return;
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
