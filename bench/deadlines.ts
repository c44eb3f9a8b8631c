/**
 * `npm run bench:deadlines`: a benchmark, not a test. Arms 1,000 deadlines falling due within about 10 s on the
 * real Temporal dev server with the durable SQLite store (WAL pragmas, exactly as `npm start` runs it), through
 * the project's own clock mechanism (`startClock` + `runClock`), and reports how late each fired and whether each
 * fired exactly once. In the same run, 1,000 bare-timer workflows give the platform's ceiling for comparison.
 * Target: p99 lateness under 0.5 s, none missed, none doubled. Exits 0 either way (PASS/MISS is printed).
 *
 * Knobs (environment, all optional): BENCH_COUNT (1000), BENCH_START_CONCURRENCY (50), BENCH_TIMEOUT_S (60),
 * BENCH_WFT_SLOTS (workflow task slots), BENCH_WFT_POLLS, BENCH_ACTIVITY_SLOTS, BENCH_ACTIVITY_POLLS, BENCH_CACHE,
 * BENCH_WORKFLOW_THREADS, BENCH_STICKY_TIMEOUT_S, BENCH_ORDER (`timer-first` runs the bare-timer batch before the clock batch).
 */
import { DefaultLogger, type InjectedSinks, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/stack/ports';
import { type RunningTemporal, startTemporalDevServer } from '../scripts/stack/temporal-dev-server';
import { benchPolicy } from './bench-policy';
import type { BenchActivities, BenchSinks, DeadlineFired, deadlineBenchWorkflow, timerBenchWorkflow } from './deadline-workflows';

const COUNT = intEnv('BENCH_COUNT', 1000);
const START_CONCURRENCY = intEnv('BENCH_START_CONCURRENCY', 50);
const TIMEOUT_MS = intEnv('BENCH_TIMEOUT_S', 60) * 1000;
const SPREAD_FROM_MS = 2_000;
const SPREAD_TO_MS = 10_000;
const TARGET_P99_MS = 500;
const WARMUP_COUNT = 200;
const SPLIT_SAMPLE = 100;
const ORDER: Array<'clock' | 'timer'> = process.env.BENCH_ORDER === 'timer-first' ? ['timer', 'clock'] : ['clock', 'timer'];
const WORKER_SETTINGS = {
  maxConcurrentWorkflowTaskExecutions: intEnv('BENCH_WFT_SLOTS', 10),
  maxConcurrentWorkflowTaskPolls: intEnv('BENCH_WFT_POLLS', 5),
  maxConcurrentActivityTaskExecutions: intEnv('BENCH_ACTIVITY_SLOTS', 200),
  maxConcurrentActivityTaskPolls: intEnv('BENCH_ACTIVITY_POLLS', 20),
  maxCachedWorkflows: intEnv('BENCH_CACHE', 2 * COUNT + WARMUP_COUNT),
  workflowThreadPoolSize: intEnv('BENCH_WORKFLOW_THREADS', 1),
  stickyQueueScheduleToStartTimeout: intEnv('BENCH_STICKY_TIMEOUT_S', 10) * 1000,
};

type Kind = 'clock' | 'timer' | 'warmup';

interface CpuSpan { wallMs: number; serverMs?: number; benchMs: number }

interface Firing { count: number; lateMs: number; dueAt: string }

interface BatchResult {
  kind: Kind;
  count: number;
  /** From the first start call to the last one answered. */
  startsMs: number;
  /** From the first start call until every workflow's first task had run (its timer set). */
  armMs: number;
  /** Earliest due time minus the moment arming finished: negative means some fell due while still arming. */
  firstDueAfterArmingMs: number;
  fired: number[];
  missed: string[];
  doubled: number;
  dueMismatches: number;
  /** CPU used while arming and while waiting for the firings, against the wall time each took. */
  cpu: { arming: CpuSpan; firing: CpuSpan };
  /** The worker's metrics over the firing span (from arming finished to the end of waiting). */
  worker: Map<string, number>;
  /** For a sample of fired workflows, from their histories: how late the server fired the timer, and the rest. */
  split?: { sampled: number; timerLateMs: number[]; afterTimerMs: number[] };
}

/** Every activity call, by workflow id: how many times it ran and how late the first run was. */
const firings = new Map<string, Firing>();

/** When each workflow's first task ran (its timer set), by workflow id: arming is done when every one has. */
const armedAt = new Map<string, number>();

const sinks: InjectedSinks<BenchSinks> = {
  bench: { armed: { fn: (info) => { if (!armedAt.has(info.workflowId)) armedAt.set(info.workflowId, Date.now()); } } },
};

let metricsPort: number | undefined;

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

const activities: BenchActivities = {
  async deadlineFired(fired: DeadlineFired): Promise<void> {
    const now = Date.now();
    const workflowId = Context.current().info.workflowExecution?.workflowId ?? fired.key;
    const seen = firings.get(workflowId);
    if (seen) seen.count += 1;
    else firings.set(workflowId, { count: 1, lateMs: now - Date.parse(fired.dueAt), dueAt: fired.dueAt });
  },
};

async function main(): Promise<void> {
  // Before anything touches the Runtime: keep the SDK's own log lines to warnings, and expose the worker's own
  // metrics (task schedule-to-start latencies, cache misses) on loopback so the report can say where time went.
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
  const onSignal = () => { interrupted = true; console.log('\ninterrupted: stopping'); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const port = await freePort();
    const dbFile = join(dir, 'temporal.sqlite');
    console.log(`bench:deadlines  ${COUNT} deadlines due ${SPREAD_FROM_MS / 1000}–${SPREAD_TO_MS / 1000} s after arming; target p99 < ${TARGET_P99_MS} ms, none missed or doubled`);
    console.log(`${load()} at start`);
    console.log(`starting Temporal dev server on 127.0.0.1:${port} (SQLite ${dbFile}, WAL pragmas) …`);
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
    console.log(`creating worker (bundling bench/deadline-workflows) with ${JSON.stringify(WORKER_SETTINGS)} …`);
    stepStart = Date.now();
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowsPath: require.resolve('./deadline-workflows'),
      activities,
      sinks,
      shutdownGraceTime: '2 seconds',
      ...WORKER_SETTINGS,
    });
    const running = worker.run();
    cleanups.unshift(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    console.log(`  ready in ${secs(Date.now() - stepStart)}`);

    const policy = benchPolicy();
    const runTag = Date.now().toString(36);
    const start = (kind: 'clock' | 'timer', workflowId: string, dueAt: string) => kind === 'clock'
      ? client.workflow.start<typeof deadlineBenchWorkflow>('deadlineBenchWorkflow', { taskQueue, workflowId, args: [{ dueAt, policy }] })
      : client.workflow.start<typeof timerBenchWorkflow>('timerBenchWorkflow', { taskQueue, workflowId, args: [{ dueAt }] });

    const timerFiredAt = async (workflowId: string): Promise<number | undefined> => {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      const event = history.events?.find((e) => e.timerFiredEventAttributes);
      return event?.eventTime ? timestampMs(event.eventTime) : undefined;
    };

    // Warm-up (not reported): loads the workflow bundle, opens the sticky queues, and measures how fast this
    // machine arms workflows, so the measured batches get a due-time window that starts after their arming.
    console.log(`warm-up: ${WARMUP_COUNT} deadlines, half clocks, half timers …`);
    const warm = await runBatch('warmup', WARMUP_COUNT, 12_000, runTag, start, () => interrupted, serverPid);
    // Rate over the second half of the warm-up, past the first workflow's cold start.
    const warmArmed = [...armedAt.values()].sort((a, b) => a - b); // only the warm-up has run so far
    const half = Math.floor(warmArmed.length / 2);
    let armRate = (warmArmed.length - 1 - half) / Math.max(warmArmed[warmArmed.length - 1] - warmArmed[half], 1); // workflows per ms
    console.log(`  armed in ${secs(warm.armMs)} (steady ${Math.round(armRate * 1000)}/s); ${warm.fired.length}/${WARMUP_COUNT} fired`);

    const results: BatchResult[] = [];
    for (const kind of ORDER) {
      if (interrupted) break;
      let budget = Math.ceil((COUNT / armRate) * 1.5) + 1_000;
      console.log(`${kind} batch: arming ${COUNT} (${START_CONCURRENCY} in flight, arming budget ${secs(budget)}) …`);
      let result = await runBatch(kind, COUNT, budget, `${runTag}a`, start, () => interrupted, serverPid, timerFiredAt);
      if (result.firstDueAfterArmingMs < 0 && !interrupted) {
        // Deadlines fell due while others were still being armed: not the measurement asked for. Once those have
        // all fired, arm a fresh batch whose due times start after an arming as slow as the one just seen.
        budget = Math.ceil(result.armMs * 1.5) + 1_000;
        console.log(`${kind} batch: arming overran its budget (${secs(result.armMs)}); discarding it and arming again with a budget of ${secs(budget)} …`);
        result = await runBatch(kind, COUNT, budget, `${runTag}b`, start, () => interrupted, serverPid, timerFiredAt);
      }
      results.push(result);
      armRate = COUNT / Math.max(result.armMs, 1);
    }

    printReport(results, Date.now() - wallStart);
  } finally {
    for (const cleanup of cleanups) {
      try { await cleanup(); } catch (err) { console.warn(`cleanup: ${(err as Error).message}`); }
    }
  }
  console.log(`total wall time ${secs(Date.now() - wallStart)}`);
}

/** The machine's 1-minute load average (2 cores here): other work on the box shows up in the figures. */
function load(): string {
  return `load ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`;
}

/**
 * Arms `count` workflows with due times spread evenly over [t0 + 2 s, t0 + 10 s] in shuffled order, where t0 is
 * when arming is expected to finish (`budgetMs` from now), then waits until each has fired or the timeout passes.
 */
async function runBatch(
  kind: Kind, count: number, budgetMs: number, runTag: string,
  start: (kind: 'clock' | 'timer', workflowId: string, dueAt: string) => Promise<unknown>, stopped: () => boolean, serverPid?: number,
  timerFiredAt?: (workflowId: string) => Promise<number | undefined>,
): Promise<BatchResult> {
  const armStart = Date.now();
  const cpuMark = () => ({ at: Date.now(), server: procCpuMs(serverPid), bench: process.cpuUsage() });
  const cpuSpan = (from: ReturnType<typeof cpuMark>, to: ReturnType<typeof cpuMark>): CpuSpan => ({
    wallMs: to.at - from.at,
    serverMs: from.server !== undefined && to.server !== undefined ? to.server - from.server : undefined,
    benchMs: (to.bench.user - from.bench.user + to.bench.system - from.bench.system) / 1000,
  });
  const armMark = cpuMark();
  const t0 = armStart + budgetMs;
  const spreadFrom = kind === 'warmup' ? 0 : SPREAD_FROM_MS;
  const spread = kind === 'warmup' ? 1_000 : SPREAD_TO_MS - SPREAD_FROM_MS;
  const offsets = shuffle(Array.from({ length: count }, (_, i) => spreadFrom + Math.round((spread * i) / Math.max(count - 1, 1))));
  // The warm-up alternates both workflow types, so neither measured batch runs cold code.
  const plan = offsets.map((offset, i) => ({
    type: kind === 'warmup' ? (i % 2 ? 'timer' as const : 'clock' as const) : kind,
    workflowId: `bench-${kind}-${runTag}-${i}`,
    dueAt: new Date(t0 + offset).toISOString(),
  }));

  let next = 0;
  let started = 0;
  let lastPrinted = 0;
  const verbose = kind !== 'warmup';
  const armedCount = () => plan.reduce((n, item) => n + (armedAt.has(item.workflowId) ? 1 : 0), 0);
  const lanes = Array.from({ length: Math.min(START_CONCURRENCY, count) }, async () => {
    while (next < plan.length && !stopped()) {
      const item = plan[next++];
      await start(item.type, item.workflowId, item.dueAt);
      started += 1;
      if (verbose && (started - lastPrinted >= 250 || started === count)) {
        lastPrinted = started;
        console.log(`  arming: started ${started}/${count}, timers set ${armedCount()}/${count}`);
      }
    }
  });
  await Promise.all(lanes);
  const startsMs = Date.now() - armStart;
  // Armed means started and its first workflow task has run (the one that sets the timer), not just accepted.
  const firstDue = t0 + Math.min(...offsets);
  const lastDue = t0 + Math.max(...offsets);
  while (armedCount() < count && Date.now() < lastDue + TIMEOUT_MS && !stopped()) await delay(50);
  const armEndMark = cpuMark();
  const metricsAtArmEnd = await scrapeMetrics();
  const armEnd = Math.max(armStart + startsMs, ...plan.map((item) => armedAt.get(item.workflowId) ?? armEndMark.at));
  const armMs = armEnd - armStart;
  if (verbose) {
    const note = firstDue >= armEnd ? `first due ${secs(firstDue - armEnd)} after arming finished` : `ARMING OVERRAN: first due ${secs(armEnd - firstDue)} before arming finished`;
    console.log(`  armed ${armedCount()}/${count}: started in ${secs(startsMs)} (${Math.round((started * 1000) / Math.max(startsMs, 1))}/s), every timer set after ${secs(armMs)}; ${note} (${load()})`);
  }

  const giveUpAt = Math.max(armEnd, lastDue) + TIMEOUT_MS;
  const firedCount = () => plan.reduce((n, item) => n + (firings.has(item.workflowId) ? 1 : 0), 0);
  let lastProgress = 0;
  for (;;) {
    const fired = firedCount();
    if (fired === count || Date.now() > giveUpAt || stopped()) break;
    if (verbose && Date.now() - lastProgress >= 1_000) {
      lastProgress = Date.now();
      console.log(`  fired ${fired}/${count}`);
    }
    await delay(100);
  }
  // A moment longer, so a second firing of the last deadlines (a retried activity, a replayed step) is counted.
  if (!stopped()) await delay(1_000);
  if (verbose) console.log(`  fired ${firedCount()}/${count} (${load()})`);

  const fired: number[] = [];
  const missed: string[] = [];
  let doubled = 0;
  let dueMismatches = 0;
  for (const item of plan) {
    const firing = firings.get(item.workflowId);
    if (!firing) { missed.push(item.workflowId); continue; }
    fired.push(firing.lateMs);
    if (firing.count > 1) doubled += 1;
    if (Date.parse(firing.dueAt) !== Date.parse(item.dueAt)) dueMismatches += 1;
  }
  const cpu = { arming: cpuSpan(armMark, armEndMark), firing: cpuSpan(armEndMark, cpuMark()) };
  const metricsAtEnd = await scrapeMetrics();
  const worker = new Map([...metricsAtEnd].map(([name, value]) => [name, value - (metricsAtArmEnd.get(name) ?? 0)]));
  let split: BatchResult['split'];
  if (timerFiredAt && kind !== 'warmup' && !stopped()) {
    // Where the lateness comes from, on a sample: the server firing the timer late, or everything after it
    // (workflow task to the worker, the step's activity scheduled and picked up).
    const sample = shuffle(plan.filter((item) => firings.has(item.workflowId))).slice(0, SPLIT_SAMPLE);
    split = { sampled: 0, timerLateMs: [], afterTimerMs: [] };
    for (const item of sample) {
      const firedAt = await timerFiredAt(item.workflowId).catch(() => undefined);
      const firing = firings.get(item.workflowId);
      if (firedAt === undefined || !firing) continue;
      split.sampled += 1;
      split.timerLateMs.push(firedAt - Date.parse(item.dueAt));
      split.afterTimerMs.push(firing.lateMs - (firedAt - Date.parse(item.dueAt)));
    }
  }
  return { kind, count, startsMs, armMs, firstDueAfterArmingMs: firstDue - armEnd, fired, missed, doubled, dueMismatches, cpu, worker, split };
}

function printReport(results: BatchResult[], wallMs: number): void {
  const rows = results.map((r) => {
    const sorted = [...r.fired].sort((a, b) => a - b);
    const p50 = percentile(sorted, 0.5);
    const p99 = percentile(sorted, 0.99);
    const max = sorted.length ? sorted[sorted.length - 1] : NaN;
    const pass = r.missed.length === 0 && r.doubled === 0 && p99 < TARGET_P99_MS;
    return { r, p50, p99, max, min: sorted.length ? sorted[0] : NaN, pass };
  });
  const header = ['batch', 'started in', 'armed in', 'fired', 'min', 'p50', 'p99', 'max', 'missed', 'doubled', `target p99<${TARGET_P99_MS}ms`];
  const table = rows.map(({ r, p50, p99, max, min, pass }) => [
    r.kind === 'clock' ? 'clock (runClock)' : 'bare timer', secs(r.startsMs), secs(r.armMs), `${r.fired.length}/${r.count}`,
    late(min), late(p50), late(p99), late(max), String(r.missed.length), String(r.doubled), pass ? 'PASS' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log('\n=== deadline lateness (activity start minus due time) ===');
  console.log(line(header));
  for (const row of table) console.log(line(row));
  const clock = rows.find((x) => x.r.kind === 'clock');
  const timer = rows.find((x) => x.r.kind === 'timer');
  if (clock && timer) {
    console.log(`clock mechanism on top of a bare timer: p50 ${signed(clock.p50 - timer.p50)}, p99 ${signed(clock.p99 - timer.p99)}, max ${signed(clock.max - timer.max)}`);
  }
  for (const { r } of rows) {
    const span = (c: CpuSpan) => `${secs(c.wallMs)} wall: dev server ${c.serverMs === undefined ? '?' : secs(c.serverMs)} CPU, bench process (client + worker) ${secs(c.benchMs)} CPU`;
    console.log(`${r.kind} batch on ${cpus().length} cores: arming ${span(r.cpu.arming)}; firing (to the last + 1 s) ${span(r.cpu.firing)}`);
    const m = (name: string) => r.worker.get(`temporal_${name}`) ?? 0;
    const mean = (name: string) => late(m(`${name}_sum`) / Math.max(m(`${name}_count`), 1));
    if (r.worker.size) {
      console.log(`  worker while firing: ${m('workflow_task_schedule_to_start_latency_count')} workflow tasks (mean wait for the worker ${mean('workflow_task_schedule_to_start_latency')}, `
        + `mean handling ${mean('workflow_task_execution_latency')}), ${m('activity_schedule_to_start_latency_count')} activity tasks (mean wait ${mean('activity_schedule_to_start_latency')}), `
        + `sticky cache misses ${m('sticky_cache_miss')}, forced evictions ${m('sticky_cache_total_forced_eviction')}`);
    }
  }
  for (const { r } of rows) {
    if (!r.split?.sampled) continue;
    const timerLate = [...r.split.timerLateMs].sort((a, b) => a - b);
    const after = [...r.split.afterTimerMs].sort((a, b) => a - b);
    console.log(`${r.kind} batch, ${r.split.sampled} sampled histories: the server fired the timer p50 ${late(percentile(timerLate, 0.5))}, p99 ${late(percentile(timerLate, 0.99))} late; `
      + `from timer fired to the step's activity running p50 ${late(percentile(after, 0.5))}, p99 ${late(percentile(after, 0.99))}`);
  }
  for (const { r } of rows) {
    if (r.firstDueAfterArmingMs < 0) console.log(`note: ${r.kind} batch arming overran its budget; its first deadline fell due ${secs(-r.firstDueAfterArmingMs)} before arming finished`);
    if (r.dueMismatches) console.log(`note: ${r.kind} batch: ${r.dueMismatches} firings reported a due time other than the one armed`);
    if (r.missed.length) console.log(`note: ${r.kind} batch missed e.g. ${r.missed.slice(0, 3).join(', ')}`);
  }
  if (clock) console.log(`RESULT: ${clock.pass ? 'PASS' : 'MISS'} (clock p99 ${late(clock.p99)}, missed ${clock.r.missed.length}, doubled ${clock.r.doubled}; wall so far ${secs(wallMs)})`);
}

/** A protobuf Timestamp (seconds may be a Long) as epoch milliseconds. */
function timestampMs(ts: { seconds?: { toString(): string } | number | null; nanos?: number | null }): number {
  return Number(String(ts.seconds ?? 0)) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function late(ms: number): string {
  if (Number.isNaN(ms)) return '-';
  return Math.abs(ms) < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function signed(ms: number): string {
  return Number.isNaN(ms) ? '-' : `${ms >= 0 ? '+' : '−'}${late(Math.abs(ms))}`;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** The dev server's process id, found by its database file (Linux /proc; undefined elsewhere). */
function devServerPid(dbFile: string): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (cmdline.includes('start-dev') && cmdline.includes(dbFile)) return Number(entry);
      } catch { /* gone, or not ours to read */ }
    }
  } catch { /* no /proc */ }
  return undefined;
}

/** User + system CPU of a process so far, in ms (Linux /proc, clock ticks of 10 ms). */
function procCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** The Temporal CLI: $TEMPORAL_CLI, else the one the toolchain builds into the cache (`npm start` builds it). */
function temporalCli(): string {
  const cli = process.env.TEMPORAL_CLI
    || join(process.env.PRECHARGE_CACHE_DIR || join(homedir(), '.cache', 'precharge'), 'temporal-1.5.1', 'temporal');
  if (!existsSync(cli)) throw new Error(`no Temporal CLI at ${cli}: set TEMPORAL_CLI, or run \`npm start\` once to build it`);
  return cli;
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench:deadlines failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
