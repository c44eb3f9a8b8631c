import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '../../infra/tracing';
import { caseBody, createTeam, SYNTHETIC_SUSPECT, SYNTHETIC_VICTIM, type Team } from '../support/fixtures';
import { api, eventually, type RunningSystem, startSystem } from '../support/system';

const SUMMARY = 'Synthetic summary written for the trace test, free text that must stay out of spans.';

/** The spans of one trace as an indented tree: name, service, kind, and the attributes that say what it was about. */
function tree(spans: ReadableSpan[]): string[] {
  const byParent = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    byParent.set(parent, [...(byParent.get(parent) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of (byParent.get(parent) ?? []).sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])) {
      const service = String(span.resource.attributes['service.name']);
      const parentNote = span.parentSpanId ? ` parent=${span.parentSpanId}` : ' (root)';
      lines.push(`${'  '.repeat(depth)}${span.name}  [${service}] span=${span.spanContext().spanId}${parentNote}`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

/**
 * One HTTP command traced end to end on the real stack (the API and the worker in this process, as the e2e tests run
 * them, with an in-memory exporter in place of OTLP): the HTTP request's span, the client's Update, the workflow's
 * Update handler and the activities it runs share one trace, each a child of the one before. Writes the trace's shape
 * to test/output/trace-of-one-command.txt.
 */
describe('a trace of one command', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: { api: Tracing; worker: Tracing };
  let system: RunningSystem;
  let team: Team;

  beforeAll(async () => {
    // The API's provider is the registered one (context, propagation); the worker's carries its own service name.
    const processor = new SimpleSpanProcessor(exporter);
    tracing = { api: startTracing('precharge-api', { processor })!, worker: startTracing('precharge-worker', { processor, register: false })! };
    system = await startSystem({ tracing });
    team = await createTeam(system.baseUrl);
  }, 240_000);
  afterAll(async () => {
    await system?.stop();
    await tracing?.worker.shutdown();
    await tracing?.api.shutdown();
  });

  it('follows POST /api/cases/:id/early-advice from the HTTP span through the Update to its activities', async () => {
    const kase = await api(system.baseUrl, 'POST', '/cases', { token: team.officer.token, body: caseBody({ unit: team.unit, officerId: team.officer.id }) });
    expect(kase.status).toBe(201);
    exporter.reset();

    const res = await api(system.baseUrl, 'POST', `/cases/${kase.body.id}/early-advice`, {
      token: team.officer.token, body: { summary: SUMMARY, linesOfInquiry: ['CCTV'], issues: ['Identification'], questions: ['Is CCTV enough?'] },
    });
    expect(res.status).toBe(201);

    const http = await eventually(async () => exporter.getFinishedSpans().find((s) => s.name === 'POST /api/cases/:id/early-advice'));
    const traceId = http.spanContext().traceId;
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    // Workflow spans come out through the worker's sink once their workflow task completes; activities when they end.
    const spans = await eventually(async () => {
      const found = inTrace();
      return found.some((s) => s.name === 'HandleUpdate:caseCommand') && found.some((s) => s.name.startsWith('RunActivity:recordCaseTransition')) && found;
    }, 30_000);

    const one = (name: string) => {
      const matching = spans.filter((s) => s.name === name);
      expect({ name, count: matching.length }).toEqual({ name, count: 1 });
      return matching[0];
    };
    const update = one('StartWorkflowUpdate:caseCommand');
    const handler = one('HandleUpdate:caseCommand');
    const start = one('StartActivity:recordCaseTransition');
    const run = one('RunActivity:recordCaseTransition');
    const parentOf = (span: ReadableSpan) => span.parentSpanId;
    expect(http.parentSpanId).toBeUndefined();
    expect(parentOf(update)).toBe(http.spanContext().spanId);
    expect(parentOf(handler)).toBe(update.spanContext().spanId);
    expect(parentOf(start)).toBe(handler.spanContext().spanId);
    expect(parentOf(run)).toBe(start.spanContext().spanId);
    expect(http.attributes).toMatchObject({ 'http.route': '/api/cases/:id/early-advice', 'http.response.status_code': 201, 'http.request.method': 'POST' });
    expect([http, update, handler, start, run].map((s) => s.resource.attributes['service.name'])).toEqual(['precharge-api', 'precharge-api', 'precharge-worker', 'precharge-worker', 'precharge-worker']);

    // Ids and names of things, never personal data or free text, in any span of the run.
    const everything = JSON.stringify(exporter.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    for (const secret of [SUMMARY, SYNTHETIC_VICTIM, SYNTHETIC_SUSPECT, team.officer.email]) expect(everything).not.toContain(secret);

    const out = join(__dirname, '..', 'output');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'trace-of-one-command.txt'), [
      `One command, POST /api/cases/:id/early-advice (status ${res.status}): trace ${traceId}, ${spans.length} spans`,
      '',
      ...tree(spans),
      '',
    ].join('\n'));
  });
});
