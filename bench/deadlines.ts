/**
 * `npm run bench:deadlines`: a benchmark, not a test. Arms 1,000 deadlines and lets them all fall due within one
 * 8 s window (2–10 s after arming is expected to finish, ~125 a second) on the real Temporal dev server with the
 * durable SQLite store started exactly as `npm start` starts it, through the project's own clock mechanism
 * (`startClock` + `runClock`, one local activity per firing as a case's notification), and prints how late each
 * fired (p50, p99, max) and whether each fired exactly once. In the same run: the same 1,000 deadlines as bare
 * Temporal timers (the platform's figure for that load) and the throughput ceiling of trivial one-activity
 * workflows. Target: p99 under 0.5 s, none missed, none doubled. Exits 0 either way; the verdict is printed.
 *
 * How deadlines are armed (BENCH_ARMING):
 * - `case` (default): as the product arms clocks: a command (Update) into a running case-shaped workflow, one
 *   deadline per workflow, 1,000 workflows started beforehand.
 * - `workflow`: a new workflow per deadline (start, first task sets the timer, completes after firing).
 *
 * Other knobs: BENCH_COUNT (1000), BENCH_IN_FLIGHT (armings at once, 50), BENCH_CEILING_COUNT (300), BENCH_TIMEOUT_S (60), BENCH_ORDER (`timer-first`).
 * The worker has the product's settings (worker/worker-tuning.ts) with a cache big enough for every workflow.
 */
import { DefaultLogger, type InjectedSinks, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/stack/ports';
import { type RunningTemporal, startTemporalDevServer } from '../scripts/stack/temporal-dev-server';
import { WORKER_TUNING } from '../worker/worker-tuning';
import { benchPolicy } from './bench-policy';
import { delay, devServerPid, inLanes, intEnv, load, percentile, procCpuMs, secs, temporalCli, writeSummary } from './bench-support';
import {
  armDeadlineUpdate, type BenchActivities, type benchCaseWorkflow, type BenchSinks, type DeadlineFired,
  type deadlineBenchWorkflow, type timerBenchWorkflow, type trivialBenchWorkflow,
} from './deadline-workflows';

type Kind = 'clock' | 'timer';

const ARMING = oneOf('BENCH_ARMING', ['case', 'workflow'] as const);
const COUNT = intEnv('BENCH_COUNT', 1000);
const IN_FLIGHT = intEnv('BENCH_IN_FLIGHT', 50);
const CEILING_COUNT = intEnv('BENCH_CEILING_COUNT', 300);
const TIMEOUT_MS = intEnv('BENCH_TIMEOUT_S', 60) * 1000;
const ORDER: Kind[] = process.env.BENCH_ORDER === 'timer-first' ? ['timer', 'clock'] : ['clock', 'timer'];
const SPREAD_FROM_MS = 2_000;
const SPREAD_TO_MS = 10_000;
const TARGET_P99_MS = 500;
const WARMUP_COUNT = 100;
const SPLIT_SAMPLE = 100;

interface Firing { count: number; lateMs: number; dueAt: string }

interface CpuUse { serverMs?: number; benchMs: number }

interface CpuMark { server?: number; bench: NodeJS.CpuUsage }

interface Deadline { kind: Kind; key: string; workflowId: string; offset: number; dueAt: string }

interface BatchResult {
  kind: Kind;
  count: number;
  /** From the first arming to the last one done (its timer set). */
  armMs: number;
  /** Earliest due time minus the moment arming finished (negative: some fell due while arming). */
  firstDueAfterArmingMs: number;
  /** From the first arming until the last firing (+ 1 s to catch doubles). */
  wallMs: number;
  fired: number[];
  missed: string[];
  doubled: number;
  dueMismatches: number;
  /** CPU while arming, and from arming done to the end (the firings), by process. */
  cpu: { arming: CpuUse; firing: CpuUse };
  /** The worker's metrics over the batch. */
  worker: Map<string, number>;
  /** For a sample of fired deadlines, from their histories: how late the server fired the timer, and the rest. */
  split?: { sampled: number; timerLateMs: number[]; afterTimerMs: number[] };
}

/** Every firing, by deadline key: how many times it ran and how late the first run was. */
const firings = new Map<string, Firing>();

/** Workflows whose first task has run (a case open; a deadline's own workflow: its timer set), and who waits for one. */
const firstTaskDone = new Set<string>();
const firstTaskWaiters = new Map<string, () => void>();

const sinks: InjectedSinks<BenchSinks> = {
  bench: {
    firstTask: {
      fn: (info) => {
        firstTaskDone.add(info.workflowId);
        firstTaskWaiters.get(info.workflowId)?.();
        firstTaskWaiters.delete(info.workflowId);
      },
    },
  },
};

const activities: BenchActivities = {
  async deadlineFired(fired: DeadlineFired): Promise<void> {
    const now = Date.now();
    const seen = firings.get(fired.key);
    if (seen) seen.count += 1;
    else firings.set(fired.key, { count: 1, lateMs: now - Date.parse(fired.dueAt), dueAt: fired.dueAt });
  },
};

let metricsPort: number | undefined;

async function main(): Promise<void> {
  // Before anything touches the Runtime: keep the SDK's own log lines to warnings, and expose the worker's
  // metrics (task waits, handling times) on loopback so the report can say where time went.
  metricsPort = await freePort();
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } },
  });
  const wallStart = Date.now();
  const cli = temporalCli();
  const dir = await mkdtemp(join(tmpdir(), 'precharge-bench-'));
  const cleanups: Array<() => Promise<void>> = [async () => rm(dir, { recursive: true, force: true })];
  let interrupted = false;
  const stopped = () => interrupted;
  const onSignal = () => { interrupted = true; console.log('\ninterrupted: stopping'); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const port = await freePort();
    const dbFile = join(dir, 'temporal.sqlite');
    console.log(`bench:deadlines  ${COUNT} deadlines, ${describeLoad()}; target p99 < ${TARGET_P99_MS} ms, none missed or doubled`);
    console.log(`${load()} at start`);
    console.log(`starting Temporal dev server on 127.0.0.1:${port} (SQLite ${dbFile}, as npm start runs it) …`);
    let stepStart = Date.now();
    const server: RunningTemporal = await startTemporalDevServer({ cli, port, dbFile });
    cleanups.unshift(() => server.stop());
    const serverPid = devServerPid(dbFile);
    console.log(`  ready in ${secs(Date.now() - stepStart)}`);

    const connection = await Connection.connect({ address: server.address });
    cleanups.unshift(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    cleanups.unshift(() => nativeConnection.close());

    const taskQueue = `bench-deadlines-${Date.now()}`;
    const settings = { ...WORKER_TUNING, maxCachedWorkflows: 2 * COUNT + 4 * WARMUP_COUNT };
    console.log(`creating worker (bundling bench/deadline-workflows) with ${JSON.stringify(settings)} …`);
    stepStart = Date.now();
    const worker = await Worker.create({
      connection: nativeConnection, namespace: 'default', taskQueue,
      workflowsPath: require.resolve('./deadline-workflows'), activities, sinks, shutdownGraceTime: '2 seconds', ...settings,
    });
    const running = worker.run();
    cleanups.unshift(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    console.log(`  ready in ${secs(Date.now() - stepStart)}`);

    const policy = benchPolicy();
    const runTag = Date.now().toString(36);

    /** Arms one deadline and resolves once its timer is set (the workflow task that sets it has completed). */
    const arm = async (deadline: Deadline): Promise<void> => {
      if (ARMING === 'case') {
        await client.workflow.getHandle(deadline.workflowId).executeUpdate(armDeadlineUpdate, { args: [{ key: deadline.key, dueAt: deadline.dueAt }] });
        return;
      }
      const armed = afterFirstTask(deadline.workflowId, TIMEOUT_MS);
      if (deadline.kind === 'clock') {
        await client.workflow.start<typeof deadlineBenchWorkflow>('deadlineBenchWorkflow', { taskQueue, workflowId: deadline.workflowId, args: [{ key: deadline.key, dueAt: deadline.dueAt, policy }] });
      } else {
        await client.workflow.start<typeof timerBenchWorkflow>('timerBenchWorkflow', { taskQueue, workflowId: deadline.workflowId, args: [{ key: deadline.key, dueAt: deadline.dueAt }] });
      }
      await armed;
    };

    /** Case arming: one running case-shaped workflow per deadline, started (and idle) before the clock starts. */
    const openCases = async (kind: Kind, tag: string, count: number): Promise<void> => {
      if (ARMING !== 'case') return;
      const started = Date.now();
      // Open means its first task has run, so none of that work is left queued when the batch's clock starts.
      await inLanes(count, 50, stopped, async (i) => {
        const workflowId = caseId(kind, tag, i);
        const open = afterFirstTask(workflowId, TIMEOUT_MS);
        await client.workflow.start<typeof benchCaseWorkflow>('benchCaseWorkflow', { taskQueue, workflowId, args: [{ kind, policy }] });
        await open;
      });
      if (count >= 500) console.log(`  opened ${count} ${kind} cases in ${secs(Date.now() - started)}`);
    };

    const timerFiredAt = async (workflowId: string): Promise<number | undefined> => {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      const event = history.events?.find((e) => e.timerFiredEventAttributes);
      return event?.eventTime ? timestampMs(event.eventTime) : undefined;
    };

    const batch = (kind: Kind, tag: string, count: number, verbose: boolean, budgetMs: number) => runBatch({
      kind, tag, count, verbose, budgetMs, arm, stopped, serverPid, timerFiredAt: verbose ? timerFiredAt : undefined,
    });

    // Warm-up (not reported): loads the workflow bundle, opens the sticky queues, warms both code paths, and
    // measures how fast this machine arms, so the due-time window opens after arming.
    console.log(`warm-up: ${WARMUP_COUNT} clocks and ${WARMUP_COUNT} timers …`);
    let armRate = 0; // deadlines per ms
    for (const kind of ORDER) {
      await openCases(kind, `${runTag}w`, WARMUP_COUNT);
      const warm = await batch(kind, `${runTag}w`, WARMUP_COUNT, false, 3_000);
      armRate = Math.max(armRate, WARMUP_COUNT / Math.max(warm.armMs, 1));
    }
    console.log(`  armed at ${Math.round(armRate * 1000)}/s`);

    const results: BatchResult[] = [];
    for (const kind of ORDER) {
      if (interrupted) break;
      console.log(`${kind} batch: ${COUNT} deadlines …`);
      await openCases(kind, `${runTag}a`, COUNT);
      let budget = Math.ceil((COUNT / armRate) * 1.5) + 1_000;
      let result = await batch(kind, `${runTag}a`, COUNT, true, budget);
      if (result.firstDueAfterArmingMs < 0 && !interrupted) {
        // Deadlines fell due while others were still being armed: not the measurement asked for. Once those have
        // all fired, arm a fresh batch whose window opens after an arming as slow as the one just seen.
        budget = Math.ceil(result.armMs * 1.5) + 1_000;
        console.log(`${kind} batch: arming overran its budget (${secs(result.armMs)}); arming again with a budget of ${secs(budget)} …`);
        await openCases(kind, `${runTag}b`, COUNT);
        result = await batch(kind, `${runTag}b`, COUNT, true, budget);
      }
      results.push(result);
    }

    const ceiling = interrupted ? undefined : await measureCeiling(client, taskQueue);
    printReport(results, ceiling, Date.now() - wallStart);
  } finally {
    for (const cleanup of cleanups) {
      try { await cleanup(); } catch (err) { console.warn(`cleanup: ${(err as Error).message}`); }
    }
  }
  console.log(`total wall time ${secs(Date.now() - wallStart)}`);
}

interface BatchOptions {
  kind: Kind;
  tag: string;
  count: number;
  verbose: boolean;
  /** How long arming is expected to take; the due-time window opens then. */
  budgetMs: number;
  arm: (deadline: Deadline) => Promise<void>;
  stopped: () => boolean;
  serverPid?: number;
  timerFiredAt?: (workflowId: string) => Promise<number | undefined>;
}

/**
 * Arms `count` deadlines due `budgetMs` from now plus offsets spread evenly over 2–10 s (in shuffled order), then
 * waits until each has fired or the timeout passes.
 */
async function runBatch(opts: BatchOptions): Promise<BatchResult> {
  const { kind, tag, count, verbose, stopped } = opts;
  const cpuMark = (): CpuMark => ({ server: procCpuMs(opts.serverPid), bench: process.cpuUsage() });
  const cpuUse = (from: CpuMark, to: CpuMark): CpuUse => ({
    serverMs: from.server !== undefined && to.server !== undefined ? to.server - from.server : undefined,
    benchMs: (to.bench.user - from.bench.user + to.bench.system - from.bench.system) / 1000,
  });
  const armMark = cpuMark();
  const metricsStart = await scrapeMetrics();
  const armStart = Date.now();
  const windowOpens = armStart + opts.budgetMs;
  const spread = SPREAD_TO_MS - SPREAD_FROM_MS;
  const offsets = shuffle(Array.from({ length: count }, (_, i) => SPREAD_FROM_MS + Math.round((spread * i) / Math.max(count - 1, 1))));
  const plan: Deadline[] = offsets.map((offset, i) => {
    const workflowId = ARMING === 'case' ? caseId(kind, tag, i) : `bench-${kind}-${tag}-${i}`;
    return { kind, key: `${workflowId}:deadline`, workflowId, offset, dueAt: new Date(windowOpens + offset).toISOString() };
  });
  const firedSoFar = () => plan.reduce((n, d) => n + (firings.has(d.key) ? 1 : 0), 0);

  let armed = 0;
  await inLanes(count, IN_FLIGHT, stopped, async (i) => {
    const deadline = plan[i];
    await opts.arm(deadline);
    armed += 1;
    if (verbose && armed % 250 === 0) console.log(`  armed ${armed}/${count}, fired ${firedSoFar()}/${count}`);
  });
  const armEnd = Date.now();
  const armEndMark = cpuMark();
  const armMs = armEnd - armStart;
  const dueTimes = plan.map((d) => Date.parse(d.dueAt));
  const firstDue = Math.min(...dueTimes);
  const lastDue = Math.max(...dueTimes);
  if (verbose) {
    const note = firstDue >= armEnd ? `window opens ${secs(firstDue - armEnd)} later` : `ARMING OVERRAN: first due ${secs(armEnd - firstDue)} before arming finished`;
    console.log(`  armed ${armed}/${count} in ${secs(armMs)} (${Math.round((armed * 1000) / Math.max(armMs, 1))}/s) ${note} (${load()})`);
  }

  const giveUpAt = Math.max(armEnd, lastDue) + TIMEOUT_MS;
  let lastProgress = Date.now();
  while (firedSoFar() < count && Date.now() < giveUpAt && !stopped()) {
    if (verbose && Date.now() - lastProgress >= 2_000) {
      lastProgress = Date.now();
      console.log(`  fired ${firedSoFar()}/${count}`);
    }
    await delay(100);
  }
  // A moment longer, so a second firing of the last deadlines (a retried activity, a replayed step) is counted.
  if (!stopped()) await delay(1_000);
  const wallMs = Date.now() - armStart;
  const endMark = cpuMark();
  const metricsEnd = await scrapeMetrics();
  if (verbose) console.log(`  fired ${firedSoFar()}/${count} (${load()})`);

  const fired: number[] = [];
  const missed: string[] = [];
  let doubled = 0;
  let dueMismatches = 0;
  for (const deadline of plan) {
    const firing = firings.get(deadline.key);
    if (!firing) { missed.push(deadline.key); continue; }
    fired.push(firing.lateMs);
    if (firing.count > 1) doubled += 1;
    if (Date.parse(firing.dueAt) !== Date.parse(deadline.dueAt)) dueMismatches += 1;
  }
  let split: BatchResult['split'];
  if (opts.timerFiredAt && !stopped()) {
    // Where the lateness comes from, on a sample: the server firing the timer late, or everything after it
    // (workflow task to the worker, the step's activity scheduled and picked up).
    const sample = shuffle(plan.filter((d) => firings.has(d.key))).slice(0, SPLIT_SAMPLE);
    split = { sampled: 0, timerLateMs: [], afterTimerMs: [] };
    for (const deadline of sample) {
      const firedAt = await opts.timerFiredAt(deadline.workflowId).catch(() => undefined);
      const firing = firings.get(deadline.key);
      if (firedAt === undefined || !firing) continue;
      split.sampled += 1;
      split.timerLateMs.push(firedAt - Date.parse(deadline.dueAt));
      split.afterTimerMs.push(firing.lateMs - (firedAt - Date.parse(deadline.dueAt)));
    }
  }
  return {
    kind, count, armMs, firstDueAfterArmingMs: firstDue - armEnd, wallMs, fired, missed, doubled, dueMismatches,
    cpu: { arming: cpuUse(armMark, armEndMark), firing: cpuUse(armEndMark, endMark) },
    worker: new Map([...metricsEnd].map(([name, value]) => [name, value - (metricsStart.get(name) ?? 0)])),
    split,
  };
}

interface Ceiling { count: number; ms: number }

/**
 * The platform's throughput ceiling on this machine, in the same run: trivial workflows (start, one activity,
 * complete; no timer), 50 in flight, from the first start until the last has finished.
 */
async function measureCeiling(client: Client, taskQueue: string): Promise<Ceiling> {
  console.log(`ceiling: ${CEILING_COUNT} trivial one-activity workflows, 50 in flight …`);
  const begin = Date.now();
  await inLanes(CEILING_COUNT, 50, () => false, async (i) => {
    await client.workflow.execute<typeof trivialBenchWorkflow>('trivialBenchWorkflow', { taskQueue, workflowId: `bench-ceiling-${begin}-${i}`, args: [] });
  });
  const ceiling = { count: CEILING_COUNT, ms: Date.now() - begin };
  console.log(`  ${CEILING_COUNT} in ${secs(ceiling.ms)} (${load()})`);
  return ceiling;
}

function printReport(results: BatchResult[], ceiling: Ceiling | undefined, wallMs: number): void {
  const rows = results.map((r) => {
    const sorted = [...r.fired].sort((a, b) => a - b);
    const p50 = percentile(sorted, 0.5);
    const p99 = percentile(sorted, 0.99);
    const max = sorted.length ? sorted[sorted.length - 1] : NaN;
    const pass = r.missed.length === 0 && r.doubled === 0 && p99 < TARGET_P99_MS;
    return { r, p50, p99, max, min: sorted.length ? sorted[0] : NaN, pass };
  });
  const header = ['deadlines as', 'armed in', 'fell due at', 'fired', 'min', 'p50', 'p99', 'max', 'missed', 'doubled', `target p99<${TARGET_P99_MS}ms`];
  const table = rows.map(({ r, p50, p99, max, min, pass }) => [
    r.kind === 'clock' ? 'clocks (runClock)' : 'bare timers', secs(r.armMs), `${Math.round(dueRate(r))}/s`, `${r.fired.length}/${r.count}`,
    late(min), late(p50), late(p99), late(max), String(r.missed.length), String(r.doubled), pass ? 'PASS' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(`\n=== deadline lateness (activity start minus due time): ${COUNT} deadlines, ${describeLoad()} ===`);
  console.log(line(header));
  for (const row of table) console.log(line(row));
  const clock = rows.find((x) => x.r.kind === 'clock');
  const timer = rows.find((x) => x.r.kind === 'timer');
  if (clock && timer) {
    console.log(`clock mechanism on top of a bare timer: p50 ${signed(clock.p50 - timer.p50)}, p99 ${signed(clock.p99 - timer.p99)}, max ${signed(clock.max - timer.max)}`);
  }
  if (ceiling) {
    console.log(`platform ceiling, same run: ${Math.round((ceiling.count * 1000) / ceiling.ms)} trivial one-activity workflows/s on ${cpus().length} cores`);
  }
  for (const { r } of rows) {
    const perDeadline = (ms: number | undefined) => (ms === undefined ? '?' : `${(ms / r.count).toFixed(1)} ms`);
    const use = (c: CpuUse) => `dev server ${perDeadline(c.serverMs)}, bench process (client + worker) ${perDeadline(c.benchMs)}`;
    console.log(`${r.kind} batch, ${secs(r.wallMs)} from first arming to last firing; CPU per deadline arming: ${use(r.cpu.arming)}; firing: ${use(r.cpu.firing)}`);
    const m = (name: string) => r.worker.get(`temporal_${name}`) ?? 0;
    const mean = (name: string) => late(m(`${name}_sum`) / Math.max(m(`${name}_count`), 1));
    if (r.worker.size) {
      console.log(`  worker: ${m('workflow_task_schedule_to_start_latency_count')} workflow tasks (mean wait for the worker ${mean('workflow_task_schedule_to_start_latency')}, `
        + `mean handling ${mean('workflow_task_execution_latency')}), ${m('activity_schedule_to_start_latency_count')} activity tasks (mean wait ${mean('activity_schedule_to_start_latency')}), `
        + `sticky cache misses ${m('sticky_cache_miss')}, forced evictions ${m('sticky_cache_total_forced_eviction')}`);
    }
    if (r.split?.sampled) {
      const timerLate = [...r.split.timerLateMs].sort((a, b) => a - b);
      const after = [...r.split.afterTimerMs].sort((a, b) => a - b);
      console.log(`  ${r.split.sampled} sampled histories: the server fired the timer p50 ${late(percentile(timerLate, 0.5))}, p99 ${late(percentile(timerLate, 0.99))} late; `
        + `from timer fired to the activity running p50 ${late(percentile(after, 0.5))}, p99 ${late(percentile(after, 0.99))}`);
    }
    if (r.firstDueAfterArmingMs < 0) console.log(`  note: arming overran its budget; the first deadline fell due ${secs(-r.firstDueAfterArmingMs)} before arming finished`);
    if (r.dueMismatches) console.log(`  note: ${r.dueMismatches} firings reported a due time other than the one armed`);
    if (r.missed.length) console.log(`  note: missed e.g. ${r.missed.slice(0, 3).join(', ')}`);
  }
  if (clock) console.log(`RESULT: ${clock.pass ? 'PASS' : 'MISS'} (clocks p99 ${late(clock.p99)}, missed ${clock.r.missed.length}, doubled ${clock.r.doubled}; wall so far ${secs(wallMs)})`);
  const ceilingRate = ceiling ? `${Math.round((ceiling.count * 1000) / ceiling.ms)} trivial workflows/s` : undefined;
  const settings = { count: COUNT, arming: ARMING, window: `${SPREAD_FROM_MS / 1000}–${SPREAD_TO_MS / 1000} s`, store: 'Temporal dev server (SQLite file)', maxCachedWorkflows: 2 * COUNT + 4 * WARMUP_COUNT };
  console.log(`summary: ${writeSummary('deadlines', rows.flatMap(({ r, p50, p99 }) => {
    const what = r.kind === 'clock' ? 'clocks' : 'bare timers';
    const reference = r.kind === 'clock' && timer ? `bare timers p99 ${late(timer.p99)}` : ceilingRate;
    return [
      { name: `deadlines (${what}): lateness p50`, value: Math.round(p50), unit: 'ms', reference, settings },
      { name: `deadlines (${what}): lateness p99`, value: Math.round(p99), unit: 'ms', target: `< ${TARGET_P99_MS}`, pass: p99 < TARGET_P99_MS, reference, ...(r.kind === 'clock' && timer ? { ratio: Math.round((p99 / timer.p99) * 100) / 100 } : {}), settings },
      { name: `deadlines (${what}): missed + doubled`, value: r.missed.length + r.doubled, unit: 'count', target: '= 0', pass: r.missed.length + r.doubled === 0, settings },
    ];
  }))}`);
}

function describeLoad(): string {
  const arming = ARMING === 'case' ? 'each armed by a command into its running case-shaped workflow' : 'each armed by starting a workflow of its own';
  return `${arming}, all armed first (${IN_FLIGHT} in flight), then all due within one ${(SPREAD_TO_MS - SPREAD_FROM_MS) / 1000} s window`;
}

/** Deadlines falling due per second over the window. */
function dueRate(r: BatchResult): number {
  return r.count / ((SPREAD_TO_MS - SPREAD_FROM_MS) / 1000);
}

function caseId(kind: Kind, tag: string, i: number): string {
  return `bench-case-${kind}-${tag}-${i}`;
}


/** Resolves once the workflow's first task has run, or after `timeoutMs` so a lost task cannot hang the bench. */
function afterFirstTask(workflowId: string, timeoutMs: number): Promise<void> {
  if (firstTaskDone.has(workflowId)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { firstTaskWaiters.delete(workflowId); resolve(); }, timeoutMs);
    firstTaskWaiters.set(workflowId, () => { clearTimeout(timer); resolve(); });
  });
}

/** Sums of the worker's Prometheus metrics by name (labels summed away); empty if they cannot be read. */
async function scrapeMetrics(): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  if (!metricsPort) return sums;
  try {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    for (const line of text.split('\n')) {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?\s+(\S+)$/.exec(line);
      if (m && !m[1].endsWith('_bucket')) sums.set(m[1], (sums.get(m[1]) ?? 0) + Number(m[2]));
    }
  } catch { /* metrics are a diagnostic; the figures stand without them */ }
  return sums;
}


/** A protobuf Timestamp (seconds may be a Long) as epoch milliseconds. */
function timestampMs(ts: { seconds?: { toString(): string } | number | null; nanos?: number | null }): number {
  return Number(String(ts.seconds ?? 0)) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}


function late(ms: number): string {
  if (Number.isNaN(ms)) return '-';
  return Math.abs(ms) < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function signed(ms: number): string {
  return Number.isNaN(ms) ? '-' : `${ms >= 0 ? '+' : '−'}${late(Math.abs(ms))}`;
}


function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}


function oneOf<T extends string>(name: string, values: readonly T[]): T {
  const raw = process.env[name] || values[0];
  if (!values.includes(raw as T)) throw new TypeError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}





main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench:deadlines failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
