/**
 * `npm run bench:lifecycle`: a benchmark, not a test. Starts a whole system of its own on loopback (embedded
 * PostgreSQL, Temporal's dev server with the SQLite store as `npm start` runs it, an SMTP catcher, the worker and the
 * API from dist/ under the default policy) and drives it through the public API as its users would:
 *   1. the ceiling: BENCH_CEILING_COUNT trivial one-activity workflows (bench/deadline-workflows.ts, a worker in this
 *      process on a task queue of its own), 50 in flight, on the same Temporal server: the platform's rate here today;
 *   2. lifecycles: BENCH_LIFECYCLES whole cases, BENCH_CONCURRENCY at a time, each register → Early Advice requested by
 *      the DS → triaged by the DCP → advice with a plan of three actions → each action completed by its owner → a full
 *      code file → approved by the gatekeeper → triaged → charged; after each command the client reads the case (as the
 *      web pages do, post then read) and, after the advice, the plan. Lifecycles per second (from the first
 *      registration to the last decision), commands' p50/p99 and reads' p99 over the run, and the ratio of the rate to
 *      the ceiling. Targets: ≥ 3 lifecycles/s and ≥ 25 % of the ceiling;
 *   3. where a command's time goes, from the histories of a sample of those cases (the server's own times): from the
 *      Update's arrival to its acceptance, to its completion, and within it the projection's activity (queued, run)
 *      or local activity; then every lifecycle's history replayed on the current code, as a worker replays a case
 *      after a restart: none may be nondeterministic (a failing one is written to bench/results/);
 *   4. API latency at a fixed rate (open loop: each request goes out on schedule whether or not earlier ones have
 *      answered): BENCH_RATE (50) requests a second for BENCH_SECONDS (30), a share BENCH_COMMAND_PERCENT (20) of them
 *      commands (a victim contact recorded on one of BENCH_LATENCY_CASES open cases) and the rest reads, in turn the
 *      case (`GET /api/cases/:id`), the case list (`GET /api/cases?pageSize=25`) and the inbox
 *      (`GET /api/tasks?mine=true&status=open`). p50/p95/p99 for reads and for commands; targets reads p99 < 50 ms,
 *      commands p99 < 300 ms. Reference: each kind's median one at a time (no queueing) just before, in the same run.
 * Prints the figures beside their references and the machine's load, PASS or MISS, writes them to bench/results/
 * (`lifecycle-summary.json` for `npm run bench`, and every sample in a timestamped file). Exits 0 either way.
 *
 * Knobs: BENCH_LIFECYCLES (60), BENCH_CONCURRENCY (10), BENCH_CEILING_COUNT (300), BENCH_RATE (50), BENCH_SECONDS (30),
 * BENCH_WARMUP_S (5), BENCH_COMMAND_PERCENT (20), BENCH_LATENCY_CASES (20), BENCH_PHASES (`lifecycle,latency`).
 * PRECHARGE_CPU_PROF_DIR=<dir> makes the API and the worker write V8 CPU profiles there when they stop;
 * BENCH_PG_STATEMENTS=1 runs PostgreSQL with pg_stat_statements and prints its statements per lifecycle.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createDataSource } from '../db/data-source';
import { createDataConverter } from '../infra/temporal';
import { caseSteps, DAY_MS, DEMO_ADMIN_ID, type DemoAction, type DemoCall, demoTokens, demoUrn, ensureDemoPeople, signDemoToken, syntheticCase } from '../scripts/demo/demo-api';
import { startThrowawaySystem, type ThrowawaySystem, throwawayWorkspace } from '../scripts/stack/system';
import { caseWorkflowId } from '../workflows/contracts';
import { workerBundling } from '../worker/workflow-bundle';
import { devServerPid, type Figure, inLanes, intEnv, load, percentile, pidsByCommandLine, procCpuMs, RESULTS_DIR, secs, temporalCli, treeCpuMs, writeSummary } from './bench-support';
import type { BenchActivities, trivialBenchWorkflow } from './deadline-workflows';

const LIFECYCLES = intEnv('BENCH_LIFECYCLES', 60);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 10);
const CEILING_COUNT = intEnv('BENCH_CEILING_COUNT', 300);
const RATE = intEnv('BENCH_RATE', 50);
const SECONDS = intEnv('BENCH_SECONDS', 30);
const WARMUP_S = intEnv('BENCH_WARMUP_S', 5);
const COMMAND_PERCENT = intEnv('BENCH_COMMAND_PERCENT', 20);
const LATENCY_CASES = intEnv('BENCH_LATENCY_CASES', 20);
const PHASES = new Set((process.env.BENCH_PHASES ?? 'lifecycle,latency').split(',').map((p) => p.trim()));
/** Set: PostgreSQL runs with pg_stat_statements and the lifecycle phase prints its statements by calls per lifecycle. */
const PG_STATEMENTS = process.env.BENCH_PG_STATEMENTS === '1';
const WARMUP_LIFECYCLES = 3;
/** The system's payload key, known here so that its histories can be replayed (decrypted) by the bench. */
const PAYLOAD_KEYS = `bench:${randomBytes(32).toString('base64')}`;
const REQUEST_TIMEOUT_MS = 10_000;
const SPLIT_SAMPLE = 10;
const ALONE = 10;
const TARGET = { lifecyclesPerSecond: 3, ratio: 0.25, readP99Ms: 50, commandP99Ms: 300 };

const PLAN: DemoAction[] = [
  { description: 'Obtain and review the download of the suspect\u2019s phone', owner: 'police', dueInMs: 10 * DAY_MS, decisionCritical: true },
  { description: 'Obtain CCTV from the venue', owner: 'police', dueInMs: 5 * DAY_MS, decisionCritical: true },
  { description: 'Confirm the disclosure strategy', owner: 'cps', dueInMs: 14 * DAY_MS, decisionCritical: false },
];

type Kind = 'command' | 'read';

/** Every request the lifecycles made, by kind and route, in ms. */
class Timings {
  readonly samples: { kind: Kind; route: string; ms: number }[] = [];
  sorted(kind: Kind, route?: string): number[] {
    return this.samples.filter((s) => s.kind === kind && (!route || s.route === route)).map((s) => s.ms).sort((a, b) => a - b);
  }
}

/** A JSON client that times each request as a command (POST) or a read (GET) under its route's pattern. */
function timedClient(apiUrl: string, timings: Timings): DemoCall {
  return async (method, path, token, body) => {
    const sent = performance.now();
    const res = await fetch(`${apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    timings.samples.push({ kind: method === 'GET' ? 'read' : 'command', route: `${method} ${path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/\?.*/, '')}`, ms: performance.now() - sent });
    if (!res.ok) throw new Error(`bench: ${method} ${path} → ${res.status} ${json.message as string}`);
    return json;
  };
}

/**
 * Every lifecycle's history replayed on the code that wrote it, as a worker does after losing a case from its cache
 * (a restart, an eviction): the histories real timings produce, beside the replay suite's recorded ones.
 */
async function replayAll(client: Client, caseIds: string[]): Promise<{ histories: number; nondeterministic: string[] }> {
  const histories = caseIds.map((caseId) => ({ workflowId: caseWorkflowId(caseId), history: client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory() }));
  const nondeterministic: string[] = [];
  for await (const result of Worker.runReplayHistories({ ...workerBundling(), replayName: 'bench-lifecycle', dataConverter: createDataConverter(PAYLOAD_KEYS) }, (async function* () {
    for (const h of histories) yield { workflowId: h.workflowId, history: await h.history };
  })())) {
    if (result.error) {
      nondeterministic.push(`${result.workflowId}: ${result.error.message}`);
      keepHistory(`lifecycle-nondeterministic-${result.workflowId}`, await histories.find((h) => h.workflowId === result.workflowId)!.history);
    }
  }
  console.log(`  replayed ${caseIds.length} histories on the current code: ${nondeterministic.length ? `${nondeterministic.length} NONDETERMINISTIC, e.g. ${nondeterministic[0]}` : 'all deterministic'}`);
  return { histories: caseIds.length, nondeterministic };
}

/** A case's history as JSON in bench/results/ (synthetic data only), for whoever looks into a failure. */
function keepHistory(name: string, history: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), JSON.stringify(temporal.api.history.v1.History.fromObject(history as never).toJSON()));
}

/** PostgreSQL's own count of the statements the lifecycles ran (pg_stat_statements), the most frequent first. */
async function printStatements(db: { query(sql: string): Promise<unknown> }, lifecycles: number): Promise<void> {
  const rows = (await db.query(`SELECT calls, total_exec_time AS ms, query FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC`)) as { calls: string; ms: number; query: string }[];
  const per = (n: number) => (n / Math.max(lifecycles, 1)).toFixed(1);
  console.log(`  PostgreSQL: ${per(rows.reduce((n, r) => n + Number(r.calls), 0))} statements and ${per(rows.reduce((n, r) => n + r.ms, 0))} ms executing per lifecycle; the most frequent:`);
  const [size] = (await db.query(`SELECT avg(octet_length(live_state::text))::int AS text, avg(pg_column_size(live_state))::int AS stored FROM cases WHERE live_state IS NOT NULL`)) as { text: number; stored: number }[];
  console.log(`  a case's stored state: ${size.text} bytes of JSON, ${size.stored} stored`);
  for (const r of rows.slice(0, 40)) console.log(`    ${per(Number(r.calls)).padStart(6)} × ${(r.ms / Number(r.calls)).toFixed(3)} ms  ${r.query.replace(/\s+/g, ' ').slice(0, 150)}`);
}

/** cpuPerWorkflowMs: the Temporal server's, and this process's (the client and the ceiling's worker), per trivial workflow. */
interface Ceiling { count: number; ms: number; perSecond: number; cpuPerWorkflowMs: { temporal?: number; bench: number } }

interface LifecycleRun { cpuPerLifecycleMs: Record<string, number | undefined>; lifecycles: number; failed: number; ms: number; perSecond: number; commands: number; reads: number; loadBefore: number; loadAfter: number }

interface Split { updates: number; toAcceptedMs: number; taskQueuedMs: number; taskHandledMs: number; acceptedToCompletedMs: number; projection: string; projectionQueuedMs?: number; projectionRunMs?: number; afterProjectionMs?: number; localActivities: number }

interface LatencyKind { statuses: Record<string, number>; requests: number; errors: number; p50: number; p95: number; p99: number; max: number; aloneP50: number }

interface Latency { rate: number; seconds: number; reads: LatencyKind; commands: LatencyKind; byRoute: Record<string, { p50: number; p99: number; requests: number }>; lateSendMaxMs: number; loadBefore: number; loadAfter: number }

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const wallStart = Date.now();
  console.log(`bench:lifecycle  ${LIFECYCLES} case lifecycles through the API, ${CONCURRENCY} at a time, beside ${CEILING_COUNT} trivial workflows (the ceiling); then ${RATE} req/s for ${SECONDS} s (${COMMAND_PERCENT} % commands)`);
  console.log(`targets: ≥ ${TARGET.lifecyclesPerSecond} lifecycles/s and ≥ ${TARGET.ratio * 100} % of the ceiling; at ${RATE} req/s reads p99 < ${TARGET.readP99Ms} ms, commands p99 < ${TARGET.commandP99Ms} ms`);
  console.log(`${load()} at start (${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version})`);
  const work = throwawayWorkspace('precharge-bench-lifecycle-');
  let system: ThrowawaySystem | undefined;
  let failure: string | undefined;
  try {
    console.log('starting PostgreSQL, the Temporal dev server (SQLite, as npm start runs it), an SMTP catcher, the worker and the API …');
    const stepStart = Date.now();
    system = work.adopt(await startThrowawaySystem({
      workDir: work.dir, database: 'precharge_bench', temporalCli: temporalCli(), temporalDbFile: join(work.dir, 'temporal.sqlite'),
      env: { RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000', PAYLOAD_KEYS },
      onExit: (script, code) => { failure = `${script} exited (${code}); its output is in ${system?.log}`; },
      // On a machine busy with others' builds the worker's bundle and the API's start take longer than the default.
      readyTimeoutMs: 240_000,
      postgresFlags: PG_STATEMENTS ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all'] : undefined,
    }));
    const sys = system;
    console.log(`  ready in ${secs(Date.now() - stepStart)} at ${sys.baseUrl}`);
    const pids: Pids = { api: sys.api.pid, worker: sys.worker.pid, postgres: pidsByCommandLine(sys.postgresDir)[0], temporal: devServerPid(join(work.dir, 'temporal.sqlite')) };

    const dataSource = await createDataSource(sys.databaseUrl, 'precharge-bench').initialize();
    const timings = new Timings();
    const call = timedClient(sys.apiUrl, timings);
    const admin = await signDemoToken(sys.jwtSecret, DEMO_ADMIN_ID, ['admin'], 'headquarters');
    const ids = await ensureDemoPeople(call, admin, dataSource);
    if (PG_STATEMENTS) await dataSource.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const tokens = await demoTokens(sys.jwtSecret, ids);
    const step = caseSteps(call, ids, tokens);

    const connection = await Connection.connect({ address: sys.temporalAddress });
    const client = new Client({ connection, namespace: 'default' });
    const ceiling = await measureCeiling(sys.temporalAddress, client, pids);

    /** One whole case, each step by the person whose step it is, the case read after each command. */
    const lifecycle = async (n: number): Promise<string> => {
      // Each case its own URN (serial n): random serials meet one another now and then, and POST /cases answers 409.
      const kase = await step.register('officer', n, 0, demoUrn(new Date().getUTCFullYear(), n));
      try {
        await rest(kase);
      } catch (err) {
        const history = await client.workflow.getHandle(caseWorkflowId(kase.id)).fetchHistory().catch(() => undefined);
        if (history) keepHistory(`lifecycle-failed-${kase.id}`, history);
        throw err;
      }
      return kase.id;
    };
    const rest = async (kase: { id: string }): Promise<void> => {
      const read = (caseId: string, token: string) => call('GET', `/cases/${caseId}`, token);
      await read(kase.id, tokens.officer);
      const requestId = await step.requestAdvice(kase.id);
      await read(kase.id, tokens.ds);
      await step.acceptAdvice(requestId);
      await read(kase.id, tokens.dcp);
      await step.advise(requestId, PLAN);
      await read(kase.id, tokens.prosecutor);
      const [plan] = (await call('GET', `/cases/${kase.id}/action-plans`, tokens.officer)) as unknown as { actions: { id: string; owner: string }[] }[];
      if (plan?.actions.length !== PLAN.length) throw new Error(`bench: the plan shows ${plan?.actions.length ?? 0} actions, not ${PLAN.length}`);
      for (const action of plan.actions) {
        const by = action.owner === 'cps' ? 'prosecutor' : 'officer';
        await call('POST', `/actions/${action.id}/complete`, tokens[by], { note: 'Synthetic: done, the result is on the file.' });
        await read(kase.id, tokens[by]);
      }
      const submissionId = await step.submit(kase.id, 'officer');
      await read(kase.id, tokens.officer);
      await step.approve(submissionId);
      await read(kase.id, tokens.ds);
      await step.acceptFile(submissionId);
      await read(kase.id, tokens.dcp);
      const decided = await step.charge(submissionId);
      if (decided.stage !== 'charged') throw new Error(`bench: the decision left the case at ${String(decided.stage)}`);
      await read(kase.id, tokens.prosecutor);
    };

    let lifecycleRun: LifecycleRun | undefined;
    const failed: string[] = [];
    let split: Split | undefined;
    let replayed: { histories: number; nondeterministic: string[] } | undefined;
    const caseIds: string[] = [];
    if (PHASES.has('lifecycle')) {
      console.log(`warm-up: ${WARMUP_LIFECYCLES} lifecycles one at a time (not counted) …`);
      for (let i = 0; i < WARMUP_LIFECYCLES; i += 1) await lifecycle(10_000 + i);
      timings.samples.length = 0;
      if (PG_STATEMENTS) await dataSource.query('SELECT pg_stat_statements_reset()');
      console.log(`${LIFECYCLES} lifecycles, ${CONCURRENCY} at a time …`);
      const loadBefore = loadavg()[0];
      const cpuBefore = cpuNow(pids);
      const started = performance.now();
      let done = 0;
      await inLanes(LIFECYCLES, CONCURRENCY, () => failure !== undefined, async (i) => {
        try {
          caseIds.push(await lifecycle(i));
          done += 1;
        } catch (err) {
          // One refused or failed request ends that lifecycle, not the run: counted, and shown in the figures.
          failed.push((err as Error).message);
          console.log(`  lifecycle ${i} failed: ${(err as Error).message}`);
        }
        if ((done + failed.length) % 10 === 0) console.log(`  ${done + failed.length}/${LIFECYCLES} in ${secs(performance.now() - started)} (${load()})`);
      });
      if (failure) throw new Error(failure);
      const ms = performance.now() - started;
      const cpuAfter = cpuNow(pids);
      const cpuPerLifecycleMs = Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, v === undefined || cpuBefore[k] === undefined ? undefined : Math.round((v - cpuBefore[k]!) / Math.max(done, 1))]));
      console.log(`  CPU per lifecycle: ${Object.entries(cpuPerLifecycleMs).map(([k, v]) => `${k} ${v ?? '?'} ms`).join(', ')}`);
      lifecycleRun = {
        cpuPerLifecycleMs,
        lifecycles: done, failed: failed.length, ms, perSecond: done / (ms / 1000), commands: timings.sorted('command').length, reads: timings.sorted('read').length, loadBefore, loadAfter: loadavg()[0],
      };
      console.log(`  ${done} in ${secs(ms)}: ${lifecycleRun.perSecond.toFixed(2)} lifecycles/s; commands p50 ${fmt(percentile(timings.sorted('command'), 0.5))}, p99 ${fmt(percentile(timings.sorted('command'), 0.99))}; reads p99 ${fmt(percentile(timings.sorted('read'), 0.99))}`);
      split = await splitCommands(client, caseIds.slice(0, SPLIT_SAMPLE));
      replayed = await replayAll(client, caseIds);
      if (PG_STATEMENTS) await printStatements(dataSource, done);
    }
    await dataSource.destroy();

    let latency: Latency | undefined;
    if (PHASES.has('latency')) {
      if (failure) throw new Error(failure);
      latency = await measureLatency(sys.apiUrl, tokens, ids, caseIds);
    }
    await connection.close();
    if (failure) throw new Error(failure);
    report({ ceiling, lifecycleRun, timings, split, replayed, latency, failed, wallMs: Date.now() - wallStart });
    if (failed.length || (latency && latency.reads.errors + latency.commands.errors)) {
      copyFileSync(sys.log, join(RESULTS_DIR, 'lifecycle-system.log'));
      console.log(`some requests failed: the worker's and the API's output is in ${join(RESULTS_DIR, 'lifecycle-system.log')}`);
    }
  } finally {
    await work.stop();
  }
  console.log(`total wall time ${secs(Date.now() - wallStart)}`);
}

type Pids = Record<'api' | 'worker' | 'postgres' | 'temporal', number | undefined>;

/** CPU so far of each server process and of this one (the client, the ceiling's worker, the SMTP catcher), in ms. */
function cpuNow(pids: Pids): Record<string, number | undefined> {
  const own = process.cpuUsage();
  return { api: procCpuMs(pids.api), worker: procCpuMs(pids.worker), postgres: treeCpuMs(pids.postgres), temporal: procCpuMs(pids.temporal), bench: (own.user + own.system) / 1000 };
}

/** Trivial one-activity workflows on the same Temporal server, from a worker in this process: the platform's rate. */
async function measureCeiling(address: string, client: Client, pids: Pids): Promise<Ceiling> {
  const activities: BenchActivities = { async deadlineFired() { /* the one activity: nothing to do */ } };
  const nativeConnection = await NativeConnection.connect({ address });
  const taskQueue = `bench-lifecycle-ceiling-${Date.now()}`;
  const worker = await Worker.create({ connection: nativeConnection, namespace: 'default', taskQueue, workflowsPath: require.resolve('./deadline-workflows'), activities, shutdownGraceTime: '2 seconds' });
  const running = worker.run();
  try {
    const run = async (count: number) => {
      const begin = Date.now();
      await inLanes(count, 50, () => false, async (i) => {
        await client.workflow.execute<typeof trivialBenchWorkflow>('trivialBenchWorkflow', { taskQueue, workflowId: `bench-ceiling-${begin}-${i}`, args: [] });
      });
      return Date.now() - begin;
    };
    await run(20);
    console.log(`ceiling: ${CEILING_COUNT} trivial one-activity workflows, 50 in flight, on the same server …`);
    const before = cpuNow(pids);
    const ms = await run(CEILING_COUNT);
    const after = cpuNow(pids);
    const per = (k: 'temporal' | 'bench') => (after[k] === undefined || before[k] === undefined ? undefined : Math.round(((after[k]! - before[k]!) / CEILING_COUNT) * 10) / 10);
    const ceiling = { count: CEILING_COUNT, ms, perSecond: CEILING_COUNT / (ms / 1000), cpuPerWorkflowMs: { temporal: per('temporal'), bench: per('bench') ?? 0 } };
    console.log(`  ${CEILING_COUNT} in ${secs(ms)}: ${ceiling.perSecond.toFixed(1)} workflows/s; CPU per workflow: Temporal ${ceiling.cpuPerWorkflowMs.temporal ?? '?'} ms, client and worker ${ceiling.cpuPerWorkflowMs.bench} ms (${load()})`);
    return ceiling;
  } finally {
    worker.shutdown();
    await running;
    await nativeConnection.close();
  }
}

/** Server times of each case Update in the sampled cases' histories: where a command's time goes. */
async function splitCommands(client: Client, caseIds: string[]): Promise<Split> {
  const sums = { updates: 0, toAccepted: 0, taskQueued: 0, taskHandled: 0, acceptedToCompleted: 0, queued: 0, run: 0, after: 0, activities: 0, local: 0 };
  const time = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(String(t?.seconds ?? 0)) * 1000 + (t?.nanos ?? 0) / 1e6;
  for (const caseId of caseIds) {
    const history = await client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
    const events = history.events ?? [];
    const byId = new Map(events.map((e) => [Number(String(e.eventId)), e]));
    // The Update's arrival is when the server scheduled the workflow task that delivered it (the one the acceptance follows).
    let lastTaskScheduled = 0;
    let lastTaskStarted = 0;
    let lastTaskCompleted = 0;
    let open: { accepted: number; scheduled?: number; started?: number; completed?: number } | undefined;
    for (const e of events) {
      const at = time(e.eventTime);
      if (e.workflowTaskScheduledEventAttributes) lastTaskScheduled = at;
      if (e.workflowTaskStartedEventAttributes) lastTaskStarted = at;
      if (e.workflowTaskCompletedEventAttributes) lastTaskCompleted = at;
      if (e.workflowExecutionUpdateAcceptedEventAttributes) {
        open = { accepted: at };
        sums.toAccepted += at - lastTaskScheduled;
        sums.taskQueued += lastTaskStarted - lastTaskScheduled;
        sums.taskHandled += lastTaskCompleted - lastTaskStarted;
      }
      if (open && e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordCaseTransition') open.scheduled = at;
      if (open && e.activityTaskStartedEventAttributes && open.scheduled && !open.started) open.started = at;
      if (open && e.activityTaskCompletedEventAttributes && open.started && !open.completed) {
        const scheduledId = Number(String(e.activityTaskCompletedEventAttributes.scheduledEventId));
        if (byId.get(scheduledId)?.activityTaskScheduledEventAttributes?.activityType?.name === 'recordCaseTransition') open.completed = at;
      }
      if (open && e.markerRecordedEventAttributes?.markerName === 'core_local_activity') sums.local += 1;
      if (open && e.workflowExecutionUpdateCompletedEventAttributes) {
        sums.updates += 1;
        sums.acceptedToCompleted += at - open.accepted;
        if (open.scheduled && open.started && open.completed) {
          sums.activities += 1;
          sums.queued += open.started - open.scheduled;
          sums.run += open.completed - open.started;
          sums.after += at - open.completed;
        }
        open = undefined;
      }
    }
  }
  const mean = (sum: number, n: number) => (n ? sum / n : NaN);
  const split: Split = {
    updates: sums.updates, toAcceptedMs: mean(sums.toAccepted, sums.updates), taskQueuedMs: mean(sums.taskQueued, sums.updates), taskHandledMs: mean(sums.taskHandled, sums.updates), acceptedToCompletedMs: mean(sums.acceptedToCompleted, sums.updates),
    projection: sums.activities ? 'activity' : 'local activity', localActivities: sums.local,
    ...(sums.activities ? { projectionQueuedMs: mean(sums.queued, sums.activities), projectionRunMs: mean(sums.run, sums.activities), afterProjectionMs: mean(sums.after, sums.activities) } : {}),
  };
  console.log(`where a command's time goes (server's times, ${split.updates} Updates of ${caseIds.length} cases): arrival → accepted ${fmt(split.toAcceptedMs)} (its workflow task queued ${fmt(split.taskQueuedMs)}, handled by the worker ${fmt(split.taskHandledMs)}), accepted → completed ${fmt(split.acceptedToCompletedMs)}`
    + (split.projectionQueuedMs !== undefined ? ` (projection activity queued ${fmt(split.projectionQueuedMs)}, ran ${fmt(split.projectionRunMs!)}, then ${fmt(split.afterProjectionMs!)} to the Update's completion)` : ` (projection as a local activity inside the workflow task; ${sums.local} local-activity markers)`));
  return split;
}

/** Reads and commands at a fixed rate, open loop, after each kind's median one at a time. */
async function measureLatency(apiUrl: string, tokens: Record<string, string>, ids: Record<string, string>, doneCases: string[]): Promise<Latency> {
  console.log(`latency: registering ${LATENCY_CASES} open cases for the commands …`);
  const setup = timedClient(apiUrl, new Timings());
  const open: string[] = [];
  for (let i = 0; i < LATENCY_CASES; i += 1) open.push(((await setup('POST', '/cases', tokens.officer, syntheticCase(ids.officer, 20_000 + i, 0, demoUrn(new Date().getUTCFullYear(), 20_000 + i)))) as { id: string }).id);
  const readCases = doneCases.length ? doneCases : open;
  const requests: { kind: Kind; route: string; method: string; path: (i: number) => string; token: string; body?: unknown }[] = [
    { kind: 'read', route: 'GET /cases/:id', method: 'GET', path: (i) => `/cases/${readCases[i % readCases.length]}`, token: tokens.officer },
    { kind: 'read', route: 'GET /cases', method: 'GET', path: () => '/cases?pageSize=25', token: tokens.ds },
    { kind: 'read', route: 'GET /tasks', method: 'GET', path: () => '/tasks?mine=true&status=open', token: tokens.ds },
    { kind: 'command', route: 'POST /cases/:id/victim-contacts', method: 'POST', path: (i) => `/cases/${open[i % open.length]}/victim-contacts`, token: tokens.officer, body: { kind: 'routine-update', note: 'Synthetic: update given through the ISVA.' } },
  ];
  const reads = requests.filter((r) => r.kind === 'read');
  const command = requests.find((r) => r.kind === 'command')!;
  /** The i-th request of the schedule: every (100 / COMMAND_PERCENT)-th a command, the others reads in turn. */
  const pick = (i: number) => ((i * COMMAND_PERCENT) % 100 < COMMAND_PERCENT ? command : reads[i % reads.length]);
  const one = async (i: number, r = pick(i)) => {
    const sent = performance.now();
    const res = await fetch(`${apiUrl}${r.path(i)}`, {
      method: r.method, headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json' }, body: r.body === undefined ? undefined : JSON.stringify(r.body),
      // A request that waits this long has failed its target many times over: an error, so an overloaded system cannot stall the run.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return { kind: r.kind, route: r.route, ms: performance.now() - sent, ok: res.ok, status: String(res.status) };
  };
  const alone: Record<Kind, number[]> = { read: [], command: [] };
  for (let i = 0; i < ALONE; i += 1) {
    alone.read.push((await one(i, reads[i % reads.length])).ms);
    alone.command.push((await one(i, command)).ms);
  }
  const schedule = async (seconds: number) => {
    const total = Math.round(seconds * RATE);
    const interval = 1000 / RATE;
    const results: Awaited<ReturnType<typeof one>>[] = [];
    let lateSendMaxMs = 0;
    const inFlight: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; i < total; i += 1) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      lateSendMaxMs = Math.max(lateSendMaxMs, performance.now() - due);
      inFlight.push(one(i).then((r) => { results.push(r); }, (err: Error) => { results.push({ kind: pick(i).kind, route: pick(i).route, ms: NaN, ok: false, status: err.name }); }));
    }
    await Promise.all(inFlight);
    return { results, lateSendMaxMs };
  };
  console.log(`latency: ${WARMUP_S} s warm-up, then ${RATE} req/s for ${SECONDS} s (${load()}) …`);
  await schedule(WARMUP_S);
  const loadBefore = loadavg()[0];
  const { results, lateSendMaxMs } = await schedule(SECONDS);
  const of = (kind: Kind): LatencyKind => {
    const mine = results.filter((r) => r.kind === kind);
    const sorted = mine.filter((r) => r.ok).map((r) => r.ms).sort((a, b) => a - b);
    const statuses: Record<string, number> = {};
    for (const r of mine) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    return {
      statuses, requests: mine.length, errors: mine.filter((r) => !r.ok).length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? NaN,
      aloneP50: percentile([...alone[kind]].sort((a, b) => a - b), 0.5),
    };
  };
  const byRoute = Object.fromEntries(requests.map((r) => {
    const sorted = results.filter((x) => x.route === r.route && x.ok).map((x) => x.ms).sort((a, b) => a - b);
    return [r.route, { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), requests: sorted.length }];
  }));
  const latency = { rate: RATE, seconds: SECONDS, reads: of('read'), commands: of('command'), byRoute, lateSendMaxMs, loadBefore, loadAfter: loadavg()[0] };
  console.log(`  reads p50 ${fmt(latency.reads.p50)} p95 ${fmt(latency.reads.p95)} p99 ${fmt(latency.reads.p99)}; commands p50 ${fmt(latency.commands.p50)} p95 ${fmt(latency.commands.p95)} p99 ${fmt(latency.commands.p99)} (${load()})`);
  return latency;
}

function report(r: { ceiling: Ceiling; lifecycleRun?: LifecycleRun; timings: Timings; split?: Split; replayed?: { histories: number; nondeterministic: string[] }; latency?: Latency; failed: string[]; wallMs: number }): void {
  const figures: Figure[] = [];
  const settings = { lifecycles: LIFECYCLES, concurrency: CONCURRENCY, policy: 'default', store: 'Temporal dev server (SQLite file), embedded PostgreSQL' };
  console.log('\n=== lifecycles through the API (register → Early Advice → advice with a plan → actions completed → submission → gatekeeper → decision) ===');
  const trivial = r.ceiling.cpuPerWorkflowMs;
  console.log(`ceiling (same run, same Temporal server): ${r.ceiling.perSecond.toFixed(1)} trivial one-activity workflows/s (${r.ceiling.count} in ${secs(r.ceiling.ms)}, 50 in flight); CPU per trivial workflow: Temporal ${trivial.temporal ?? '?'} ms, client and worker ${trivial.bench} ms`);
  if (r.lifecycleRun) {
    const run = r.lifecycleRun;
    const ratio = run.perSecond / r.ceiling.perSecond;
    const commands = r.timings.sorted('command');
    const reads = r.timings.sorted('read');
    if (run.failed) console.log(`${run.failed} lifecycles FAILED (not counted in the rate), e.g. ${r.failed.slice(0, 3).join('; ')}`);
    console.log(`lifecycles: ${run.lifecycles} in ${secs(run.ms)}, ${run.perSecond.toFixed(2)}/s (target ≥ ${TARGET.lifecyclesPerSecond}), ${ratio.toFixed(3)} of the ceiling (target ≥ ${TARGET.ratio}); load ${run.loadBefore.toFixed(2)}–${run.loadAfter.toFixed(2)}`);
    console.log(`CPU per lifecycle (ms, from /proc): ${Object.entries(run.cpuPerLifecycleMs).map(([k, v]) => `${k} ${v ?? '?'}`).join(', ')}`);
    // Every process of the run shares these cores: at this CPU per lifecycle, fully used they give at most this rate,
    // whatever the concurrency; beside the ceiling, that bounds the share of it a lifecycle can reach here.
    const lifecycleCpu = Object.values(run.cpuPerLifecycleMs).reduce<number>((sum, v) => sum + (v ?? 0), 0);
    const cpuBound = lifecycleCpu > 0 ? (cpus().length * 1000) / lifecycleCpu : undefined;
    if (cpuBound !== undefined) {
      console.log(`at ${lifecycleCpu} ms of CPU per lifecycle (all processes), ${cpus().length} cores fully used give at most ${cpuBound.toFixed(2)} lifecycles/s: `
        + `${(cpuBound / r.ceiling.perSecond).toFixed(3)} of the ceiling (a trivial workflow costs ${((trivial.temporal ?? 0) + trivial.bench).toFixed(1)} ms)`);
      // The CPU budget the share's target leaves a lifecycle, beside what the Temporal server alone spends on one.
      const budget = (cpus().length * 1000) / (TARGET.ratio * r.ceiling.perSecond);
      const temporalMs = run.cpuPerLifecycleMs.temporal;
      console.log(`${TARGET.ratio} of this ceiling needs a lifecycle to cost at most ${budget.toFixed(0)} ms of CPU in all processes, ${(lifecycleCpu / budget).toFixed(1)}× less than it does`
        + (temporalMs !== undefined ? `; the Temporal server alone spends ${temporalMs} ms on one (its ${run.commands / run.lifecycles} commands, each through the case workflow)` : ''));
    }
    console.log(`during the run: ${run.commands} commands p50 ${fmt(percentile(commands, 0.5))}, p99 ${fmt(percentile(commands, 0.99))}; ${run.reads} reads p50 ${fmt(percentile(reads, 0.5))}, p99 ${fmt(percentile(reads, 0.99))}`);
    const routes = [...new Set(r.timings.samples.map((s) => s.route))];
    for (const route of routes) {
      const kind = r.timings.samples.find((s) => s.route === route)!.kind;
      const sorted = r.timings.sorted(kind, route);
      console.log(`  ${route.padEnd(40)} ${String(sorted.length).padStart(5)}  p50 ${fmt(percentile(sorted, 0.5)).padStart(7)}  p99 ${fmt(percentile(sorted, 0.99)).padStart(7)}`);
    }
    const lifecycleSettings = { ...settings, ceilingWorkflows: r.ceiling.count };
    figures.push(
      { name: 'lifecycles failed', value: run.failed, unit: 'count', target: '= 0', pass: run.failed === 0, settings: lifecycleSettings },
      ...(r.replayed ? [{ name: 'histories nondeterministic on replay', value: r.replayed.nondeterministic.length, unit: 'count', target: '= 0', pass: r.replayed.nondeterministic.length === 0, reference: `${r.replayed.histories} replayed`, settings: lifecycleSettings }] : []),
      { name: 'lifecycles per second', value: round(run.perSecond), unit: '/s', target: `>= ${TARGET.lifecyclesPerSecond}`, pass: run.perSecond >= TARGET.lifecyclesPerSecond, reference: `${r.ceiling.perSecond.toFixed(1)} trivial workflows/s`, ratio: round(ratio, 3), settings: lifecycleSettings },
      { name: 'lifecycles: share of the ceiling', value: round(ratio, 3), unit: 'ratio', target: `>= ${TARGET.ratio}`, pass: ratio >= TARGET.ratio, reference: `${r.ceiling.perSecond.toFixed(1)} trivial workflows/s`, settings: lifecycleSettings },
      ...(cpuBound !== undefined ? [{ name: 'lifecycles: most per second the cores allow', value: round(cpuBound), unit: '/s', reference: `${lifecycleCpu} ms of CPU per lifecycle on ${cpus().length} cores`, ratio: round(cpuBound / r.ceiling.perSecond, 3), settings: lifecycleSettings }] : []),
      { name: 'lifecycles: command p50', value: round(percentile(commands, 0.5)), unit: 'ms', settings: lifecycleSettings },
      { name: 'lifecycles: command p99', value: round(percentile(commands, 0.99)), unit: 'ms', settings: lifecycleSettings },
      { name: 'lifecycles: read p99', value: round(percentile(reads, 0.99)), unit: 'ms', settings: lifecycleSettings },
    );
  }
  if (r.latency) {
    const l = r.latency;
    console.log(`\n=== API latency at ${l.rate} req/s for ${l.seconds} s, open loop (${COMMAND_PERCENT} % commands); reference: the same kind one at a time just before ===`);
    const row = (what: string, k: LatencyKind, target: number) => console.log(`${what.padEnd(9)} ${String(k.requests).padStart(5)} req, ${k.errors} errors  p50 ${fmt(k.p50).padStart(7)}  p95 ${fmt(k.p95).padStart(7)}  p99 ${fmt(k.p99).padStart(7)}  max ${fmt(k.max).padStart(7)}  alone p50 ${fmt(k.aloneP50).padStart(7)}  p99 ÷ alone ${(k.p99 / k.aloneP50).toFixed(1)}×  target p99 < ${target} ms: ${k.errors === 0 && k.p99 < target ? 'PASS' : 'MISS'}; answers ${Object.entries(k.statuses).map(([st, n]) => `${st} ×${n}`).join(', ')}`);
    row('reads', l.reads, TARGET.readP99Ms);
    row('commands', l.commands, TARGET.commandP99Ms);
    for (const [route, f] of Object.entries(l.byRoute)) console.log(`  ${route.padEnd(40)} ${String(f.requests).padStart(5)}  p50 ${fmt(f.p50).padStart(7)}  p99 ${fmt(f.p99).padStart(7)}`);
    console.log(`load ${l.loadBefore.toFixed(2)}–${l.loadAfter.toFixed(2)}${l.lateSendMaxMs > 20 ? `; the client sent some requests up to ${fmt(l.lateSendMaxMs)} late` : ''}`);
    const latencySettings = { rate: l.rate, seconds: l.seconds, commandPercent: COMMAND_PERCENT, openCases: LATENCY_CASES };
    for (const [kind, k, target] of [['reads', l.reads, TARGET.readP99Ms], ['commands', l.commands, TARGET.commandP99Ms]] as const) {
      figures.push(
        { name: `API ${kind} p50 at ${l.rate}/s`, value: round(k.p50), unit: 'ms', reference: `alone p50 ${fmt(k.aloneP50)}`, ratio: round(k.p50 / k.aloneP50), settings: latencySettings },
        { name: `API ${kind} p95 at ${l.rate}/s`, value: round(k.p95), unit: 'ms', reference: `alone p50 ${fmt(k.aloneP50)}`, ratio: round(k.p95 / k.aloneP50), settings: latencySettings },
        { name: `API ${kind} p99 at ${l.rate}/s`, value: round(k.p99), unit: 'ms', target: `< ${target}`, pass: k.errors === 0 && k.p99 < target, reference: `alone p50 ${fmt(k.aloneP50)}`, ratio: round(k.p99 / k.aloneP50), settings: latencySettings },
      );
    }
  }
  if (r.split) console.log(`\ncommand split (server's times, mean of ${r.split.updates} Updates): arrival → accepted ${fmt(r.split.toAcceptedMs)} (workflow task queued ${fmt(r.split.taskQueuedMs)}, handled ${fmt(r.split.taskHandledMs)}), accepted → completed ${fmt(r.split.acceptedToCompletedMs)}, projection as ${r.split.projection}`
    + (r.split.projectionQueuedMs !== undefined ? ` (queued ${fmt(r.split.projectionQueuedMs)}, ran ${fmt(r.split.projectionRunMs!)}, ${fmt(r.split.afterProjectionMs!)} after)` : ''));
  const [one, five, fifteen] = loadavg();
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} (1 / 5 / 15 min) at the end; the client, the API, the worker, PostgreSQL and Temporal share these cores`);
  const verdicts = figures.filter((f) => f.pass !== undefined);
  console.log(`RESULT: ${verdicts.every((f) => f.pass) ? 'PASS' : 'MISS'} (${verdicts.map((f) => `${f.name} ${f.value}${f.unit === 'ms' ? ' ms' : ''} ${f.pass ? 'pass' : 'miss'}`).join('; ')})`);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `lifecycle-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({
    benchmark: 'bench:lifecycle', at: new Date().toISOString(),
    settings: { lifecycles: LIFECYCLES, concurrency: CONCURRENCY, ceilingCount: CEILING_COUNT, rate: RATE, seconds: SECONDS, warmupSeconds: WARMUP_S, commandPercent: COMMAND_PERCENT, latencyCases: LATENCY_CASES, target: TARGET },
    machine: { cores: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version },
    ceiling: r.ceiling, lifecycles: r.lifecycleRun, split: r.split, replayed: r.replayed, latency: r.latency, samples: r.timings.samples.map((s) => ({ ...s, ms: round(s.ms) })), wallMs: r.wallMs,
  }, null, 2));
  console.log(`figures and every sample: ${file}`);
  console.log(`summary: ${writeSummary('lifecycle', figures)}`);
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function fmt(value: number): string {
  return Number.isNaN(value) ? '-' : value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench:lifecycle failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
