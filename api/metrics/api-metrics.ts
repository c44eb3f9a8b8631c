import { Logger } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { FINISHED_STAGES } from '../../activities/clinics/agenda';
import { CASE_STAGES } from '../../workflows/contracts';

/** What a request without a matched route (an unknown path, a static asset) is labelled: never its concrete URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Bucket edges in seconds, with the latency targets on edges: reads p99 under 50 ms, commands p99 under 300 ms. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];

const OPEN_STAGES = CASE_STAGES.filter((stage) => !FINISHED_STAGES.includes(stage));
const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The API's Prometheus metrics (GET /api/metrics), in a registry of this application's own: the process's default
 * metrics, the HTTP request histogram (by method, route template and status, filled by `middleware()`), and the
 * business gauges, each counted from the projection tables in PostgreSQL when Prometheus scrapes, over the partial
 * indexes of migration 1765950000000 (so a scrape reads what is live, not every case ever recorded). A gauge whose
 * query fails is left out of that scrape (Prometheus sees it absent), and the scrape still answers.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly logger = new Logger(ApiMetrics.name);

  constructor(private readonly db: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Histogram({
      name: 'precharge_http_request_duration_seconds', help: 'HTTP requests to the API and the pages, by method, route template and status: seconds from arrival to the response sent.',
      labelNames: ['method', 'route', 'status'], buckets: HTTP_BUCKETS, registers: [this.registry],
    });
    this.gauge('precharge_open_cases', 'Open cases (every stage but the finished ones) by stage.', ['stage'], async (g) => {
      const rows: { stage: string; n: number }[] = await this.db.query(`SELECT stage, count(*)::int AS n FROM cases WHERE stage NOT IN (${quoted(FINISHED_STAGES)}) GROUP BY stage`);
      for (const stage of OPEN_STAGES) g.set({ stage }, 0);
      for (const { stage, n } of rows) g.set({ stage }, n);
    });
    this.gauge('precharge_overdue_items', 'Running clocks (deadlines of cases and their items) past their due time and not paused, by clock.', ['clock'], async (g) => {
      const rows: { clock: string; n: number }[] = await this.db.query(`SELECT name AS clock, count(*)::int AS n FROM case_clocks WHERE status = 'running' AND due_at < now() AND paused_since IS NULL GROUP BY name`);
      for (const { clock, n } of rows) g.set({ clock }, n);
    });
    this.gauge('precharge_escalations_unacknowledged', 'Escalations raised and not yet acknowledged: clocks with an open escalation task.', [], async (g) => {
      const [{ n }]: { n: number }[] = await this.db.query(`SELECT count(DISTINCT clock_key)::int AS n FROM tasks WHERE kind = 'escalation' AND status = 'open'`);
      g.set(n);
    });
    this.gauge('precharge_emails_failing', 'Outbound emails not sent after a failed attempt (still pending, attempted twice or more).', [], async (g) => {
      const [{ n }]: { n: number }[] = await this.db.query(`SELECT count(*)::int AS n FROM outbound_emails WHERE status = 'pending' AND attempts >= 2`);
      g.set(n);
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text; each business gauge queries PostgreSQL now. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /**
   * Express middleware, first in the chain: times every request into the histogram and makes it a server span (the
   * parent of whatever the request does: its Temporal calls carry the trace on). Both are named by the route template
   * (`/api/cases/:id`), known once routing has matched, never by the URL, which holds ids and queries. A no-op tracer
   * when tracing is off.
   */
  middleware(): RequestHandler {
    const tracer = trace.getTracer('precharge-api');
    return (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      const parent = propagation.extract(context.active(), req.headers);
      const span = tracer.startSpan(req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        const route = routeOf(req);
        const status = res.statusCode;
        this.requests.observe({ method: req.method, route, status: String(status) }, Number(process.hrtime.bigint() - started) / 1e9);
        span.updateName(`${req.method} ${route}`);
        span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      };
      res.once('finish', finish);
      res.once('close', finish);
      context.with(trace.setSpan(parent, span), next);
    };
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[], count: (gauge: Gauge<L>) => Promise<void>): void {
    const logger = this.logger;
    new Gauge<L>({
      name, help, labelNames, registers: [this.registry],
      async collect() {
        this.reset();
        try {
          await count(this);
        } catch (err) {
          this.reset();
          logger.warn(`${name} could not be counted: ${(err as Error).message}`);
        }
      },
    });
  }
}

/** The matched route's template (Express registers the full path, `/api` included); unmatched requests share one label. */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : UNMATCHED_ROUTE;
}
