import {
  makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerOptions } from '@temporalio/worker';
import type { Tracing } from '../infra/tracing';

/**
 * Temporal's OpenTelemetry workflow interceptors, in the workflow bundle only when traces are exported. They cost: a span
 * with its context for every activation, Update and activity, and the SDK records a stack trace for every promise made
 * in workflow code, theirs included (a third of the workflow thread's CPU per command in `npm run bench:lifecycle`).
 * They add no commands to a history, and their extra yields are behind the SDK's flag
 * `OpenTelemetryInterceporsAvoidsExtraYields`; that a case traced in one run replays untraced in the next, and the other
 * way round, is what the replay suite checks: it replays every recorded history with both bundles.
 */
export function workflowInterceptorModules(tracing: boolean): string[] {
  return tracing ? [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')] : [];
}

/**
 * The sink the workflow interceptors hand their spans to: into the process's span processor when tracing is on,
 * nowhere when it is off (a bundle built with them, as the replay suite's traced one, must find it). Never called on
 * replay, so a span is exported once, when its workflow task first runs.
 */
export function workflowSpanSinks(tracing: Tracing | undefined): InjectedSinks<OpenTelemetrySinks> {
  return { exporter: tracing ? makeWorkflowExporter(tracing.processor, tracing.resource) : { export: { fn: () => undefined, callDuringReplay: false } } };
}

/**
 * What tracing adds to a worker: the sinks always; with tracing on, a span per activity, a child of the workflow's
 * span that scheduled it (the worker's own client gets its interceptor from connectTemporalClient).
 */
export function workerTracingOptions(tracing: Tracing | undefined): Pick<WorkerOptions, 'sinks' | 'interceptors'> {
  const sinks = workflowSpanSinks(tracing);
  if (!tracing) return { sinks };
  const options = { tracer: tracing.tracer };
  return {
    sinks,
    interceptors: {
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, options), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
  };
}

/**
 * WORKER_METRICS_ADDRESS as the SDK's Prometheus exporter wants it (`host:port`), or undefined for `off`. Metric names
 * as Temporal documents them (`temporal_request`, `temporal_workflow_task_execution_latency`, …: no `_total` added,
 * which would double some names), durations in seconds as Prometheus has them.
 */
export function workerMetricsTelemetry(address: string): { metrics: { prometheus: { bindAddress: string; useSecondsForDurations: boolean } } } | undefined {
  if (address === 'off') return undefined;
  return { metrics: { prometheus: { bindAddress: address, useSecondsForDurations: true } } };
}
