import { DefaultLogger, type InjectedSinks, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/stack/ports';
import { startTemporalDevServer } from '../scripts/stack/temporal-dev-server';
import { workflowBundleOptions } from '../worker/workflow-bundle';
import { workerTuning } from '../worker/worker-tuning';
import { benchPolicy } from './bench-policy';
import { delay, devServerPid, inLanes, percentile, procCpuMs, secs, temporalCli } from './bench-support';
import {
  armDeadlineUpdate, type BenchActivities, type benchCaseWorkflow, type BenchSinks, type DeadlineFired,
  type deadlineBenchWorkflow, type timerBenchWorkflow, type trivialBenchWorkflow,
} from './deadline-workflows';

/**
 * What `npm run bench:deadlines` and `npm run bench:capacity` share: a Temporal dev server with the durable SQLite
 * store as `npm start` runs it, a worker in this process running bench/deadline-workflows with the product's tuning,
 * deadlines armed as clocks (`startClock` + `runClock`) or bare timers, and a batch of them falling due within a
 * window: each firing's lateness (activity start minus due time), missed, doubled, CPU by process, worker metrics.
 */
export type Kind = 'clock' | 'timer';
export type Arming = 'case' | 'workflow';

export interface CpuUse { serverMs?: number; benchMs: number }

export interface Deadline { kind: Kind; key: string; workflowId: string; offset: number; dueAt: string }

export interface BatchResult {
  kind: Kind;
  count: number;
  /** Deadlines falling due per second over the window. */
  rate: number;
  /** From the first arming to the last one done (its timer set). */
  armMs: number;
  /** Earliest due time minus the moment arming finished (negative: some fell due while arming). */
  firstDueAfterArmingMs: number;
  /** From the first arming until the last firing (+ 1 s to catch doubles). */
  wallMs: number;
  /** Lateness of each deadline that fired, ms, in plan order. */
  fired: number[];
  missed: string[];
  doubled: number;
  dueMismatches: number;
  /** CPU while arming, and from arming done to the end (the firings), by process. */
  cpu: { arming: CpuUse; firing: CpuUse };
  /** The worker's metrics over the batch. */
  worker: Map<string, number>;
  /** For a sample of fired deadlines, from their histories: how late the server fired the timer, and the rest. */
  /** `written`: the history events the sampled firings wrote after their timer fired, by type (summed over the sample). */
  split?: { sampled: number; timerLateMs: number[]; afterTimerMs: number[]; written: Map<string, number> };
}

export interface BatchOptions {
  kind: Kind;
  /** Names the case workflows armed into (`case` arming: opened beforehand with `openCases` under this tag). */
  tag: string;
  /** Makes deadline keys unique when the same cases are armed again (a later step of the capacity bench). */
  keyTag?: string;
  count: number;
  verbose: boolean;
  /** How long arming is expected to take; the due-time window opens then. */
  budgetMs: number;
  /** Due times spread evenly over [from, to] after the window opens. */
  spreadFromMs: number;
  spreadToMs: number;
  /** Sample this many histories for where lateness came from (0: none). */
  splitSample?: number;
  /** Armings at once. */
  inFlight: number;
  /** How long after the last due time a deadline counts as missed. */
  timeoutMs: number;
}

export interface Ceiling { count: number; ms: number }

export interface DeadlineHarness {
  client: Client;
  taskQueue: string;
  serverPid?: number;
  dbFile: string;
  stopped: () => boolean;
  /** Opens running case-shaped workflows `from`..`count`-1 (idle, first task done) to arm deadlines into. */
  openCases(kind: Kind, tag: string, count: number, from?: number): Promise<void>;
  runBatch(opts: BatchOptions): Promise<BatchResult>;
  /** Trivial one-activity workflows, 50 in flight: the platform's throughput ceiling on this machine, same run. */
  measureCeiling(count: number): Promise<Ceiling>;
  close(): Promise<void>;
}

/** A sampled deadline's history: when the server fired its timer, and the event types written after it. */
interface FiringHistory { firedAt: number; written: string[] }

/** History event types by number, named as the UI names them (MarkerRecorded, UpsertWorkflowSearchAttributes). */
const EVENT_TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(temporal.api.enums.v1.EventType)
  .filter(([, v]) => typeof v === 'number')
  .map(([k, v]) => [v as number, k.replace(/^EVENT_TYPE_/, '').toLowerCase().replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase())]));

/** Every firing, by deadline key: how many times it ran and how late the first run was. */
interface Firing { count: number; lateMs: number; dueAt: string }

interface CpuMark { server?: number; bench: NodeJS.CpuUsage }

let metricsPort: number | undefined;

/**
 * Installs the SDK runtime (warnings only; the worker's metrics on loopback), starts the dev server and the worker.
 * `cacheSize`: the worker's maxCachedWorkflows, big enough that no workflow is evicted during the run.
 */
export async function startDeadlineHarness(opts: { arming: Arming; cacheSize: number; timeoutMs: number; label: string }): Promise<DeadlineHarness> {
  metricsPort = await freePort();
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } },
  });
  const firings = new Map<string, Firing>();
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
  /** Resolves once the workflow's first task has run, or after `timeoutMs` so a lost task cannot hang the bench. */
  const afterFirstTask = (workflowId: string): Promise<void> => {
    if (firstTaskDone.has(workflowId)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => { firstTaskWaiters.delete(workflowId); resolve(); }, opts.timeoutMs);
      firstTaskWaiters.set(workflowId, () => { clearTimeout(timer); resolve(); });
    });
  };

  let interrupted = false;
  const stopped = () => interrupted;
  const onSignal = () => { interrupted = true; console.log('\ninterrupted: stopping'); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const dir = await mkdtemp(join(tmpdir(), 'precharge-bench-'));
  const cleanups: Array<() => Promise<void>> = [async () => rm(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.splice(0)) {
      try { await cleanup(); } catch (err) { console.warn(`cleanup: ${(err as Error).message}`); }
    }
  };
  try {
    const port = await freePort();
    const dbFile = join(dir, 'temporal.sqlite');
    console.log(`starting Temporal dev server on 127.0.0.1:${port} (SQLite, as npm start runs it) …`);
    let stepStart = Date.now();
    const server = await startTemporalDevServer({ cli: temporalCli(), port, dbFile });
    cleanups.unshift(() => server.stop());
    const serverPid = devServerPid(dbFile);
    console.log(`  ready in ${secs(Date.now() - stepStart)}`);
    const connection = await Connection.connect({ address: server.address });
    cleanups.unshift(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    cleanups.unshift(() => nativeConnection.close());

    const taskQueue = `${opts.label}-${Date.now()}`;
    // The shipped tuning with the operator's WORKER_* overrides, as the product's worker takes them; the cache sized by the run.
    const settings = { ...workerTuning(), maxCachedWorkflows: opts.cacheSize };
    console.log(`creating worker (bundling bench/deadline-workflows) with ${JSON.stringify(settings)} …`);
    stepStart = Date.now();
    const worker = await Worker.create({
      connection: nativeConnection, namespace: 'default', taskQueue,
      // The bench's own workflows, with the modules the product's worker shares between workflows shared alike.
      workflowsPath: require.resolve('./deadline-workflows'), bundlerOptions: { preloadModules: workflowBundleOptions().preloadModules },
      activities, sinks, shutdownGraceTime: '2 seconds', ...settings,
    });
    const running = worker.run();
    cleanups.unshift(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    console.log(`  ready in ${secs(Date.now() - stepStart)}`);
    const policy = benchPolicy();

    /** Arms one deadline and resolves once its timer is set (the workflow task that sets it has completed). */
    const arm = async (deadline: Deadline): Promise<void> => {
      if (opts.arming === 'case') {
        await client.workflow.getHandle(deadline.workflowId).executeUpdate(armDeadlineUpdate, { args: [{ key: deadline.key, dueAt: deadline.dueAt }] });
        return;
      }
      const armed = afterFirstTask(deadline.workflowId);
      if (deadline.kind === 'clock') {
        await client.workflow.start<typeof deadlineBenchWorkflow>('deadlineBenchWorkflow', { taskQueue, workflowId: deadline.workflowId, args: [{ key: deadline.key, dueAt: deadline.dueAt, policy }] });
      } else {
        await client.workflow.start<typeof timerBenchWorkflow>('timerBenchWorkflow', { taskQueue, workflowId: deadline.workflowId, args: [{ key: deadline.key, dueAt: deadline.dueAt }] });
      }
      await armed;
    };

    const openCases = async (kind: Kind, tag: string, count: number, from = 0): Promise<void> => {
      if (opts.arming !== 'case' || count <= from) return;
      const started = Date.now();
      // Open means its first task has run, so none of that work is left queued when the batch's clock starts.
      await inLanes(count - from, 50, stopped, async (n) => {
        const workflowId = caseId(kind, tag, from + n);
        const open = afterFirstTask(workflowId);
        await client.workflow.start<typeof benchCaseWorkflow>('benchCaseWorkflow', { taskQueue, workflowId, args: [{ kind, policy }] });
        await open;
      });
      if (count - from >= 500) console.log(`  opened ${count - from} ${kind} cases in ${secs(Date.now() - started)}`);
    };

    const firingHistory = async (workflowId: string): Promise<FiringHistory | undefined> => {
      const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
      const fired = events.findIndex((e) => e.timerFiredEventAttributes);
      const event = events[fired];
      if (!event?.eventTime) return undefined;
      // Each bench workflow fires once: whatever follows the timer is what firing it wrote.
      const written = events.slice(fired + 1).map((e) => EVENT_TYPE_NAMES[e.eventType ?? 0] ?? String(e.eventType));
      return { firedAt: timestampMs(event.eventTime), written };
    };

    const runBatch = (batch: BatchOptions) => runDeadlineBatch(batch, { arming: opts.arming, arm, firings, stopped, serverPid, firingHistory });

    const measureCeiling = async (count: number): Promise<Ceiling> => {
      console.log(`ceiling: ${count} trivial one-activity workflows, 50 in flight …`);
      const begin = Date.now();
      await inLanes(count, 50, () => false, async (i) => {
        await client.workflow.execute<typeof trivialBenchWorkflow>('trivialBenchWorkflow', { taskQueue, workflowId: `bench-ceiling-${begin}-${i}`, args: [] });
      });
      return { count, ms: Date.now() - begin };
    };

    return { client, taskQueue, serverPid, dbFile, stopped, openCases, runBatch, measureCeiling, close };
  } catch (err) {
    await close();
    throw err;
  }
}

interface BatchDeps {
  arming: Arming;
  arm: (deadline: Deadline) => Promise<void>;
  firings: Map<string, Firing>;
  stopped: () => boolean;
  serverPid?: number;
  firingHistory: (workflowId: string) => Promise<FiringHistory | undefined>;
}

/**
 * Arms `count` deadlines due `budgetMs` from now plus offsets spread evenly over the window (in shuffled order),
 * then waits until each has fired or the timeout passes.
 */
async function runDeadlineBatch(opts: BatchOptions, deps: BatchDeps): Promise<BatchResult> {
  const { kind, tag, count, verbose } = opts;
  const { firings, stopped } = deps;
  const cpuMark = (): CpuMark => ({ server: procCpuMs(deps.serverPid), bench: process.cpuUsage() });
  const armMark = cpuMark();
  const metricsStart = await scrapeMetrics();
  const armStart = Date.now();
  const windowOpens = armStart + opts.budgetMs;
  const spread = opts.spreadToMs - opts.spreadFromMs;
  const offsets = shuffle(Array.from({ length: count }, (_, i) => opts.spreadFromMs + Math.round((spread * i) / Math.max(count - 1, 1))));
  const plan: Deadline[] = offsets.map((offset, i) => {
    const workflowId = deps.arming === 'case' ? caseId(kind, tag, i) : `bench-${kind}-${tag}-${i}`;
    return { kind, key: `${workflowId}:deadline${opts.keyTag ?? ''}`, workflowId, offset, dueAt: new Date(windowOpens + offset).toISOString() };
  });
  const firedSoFar = () => plan.reduce((n, d) => n + (firings.has(d.key) ? 1 : 0), 0);

  let armed = 0;
  let armFailures = 0;
  await inLanes(count, opts.inFlight, stopped, async (i) => {
    try {
      await deps.arm(plan[i]);
    } catch (err) {
      // Not armed (on an overloaded machine an Update can time out): the deadline counts as missed.
      if (armFailures++ === 0) console.warn(`  arming failed: ${(err as Error).message}`);
      return;
    }
    armed += 1;
    if (verbose && armed % 1000 === 0) console.log(`  armed ${armed}/${count}, fired ${firedSoFar()}/${count}`);
  });
  const armEnd = Date.now();
  const armEndMark = cpuMark();
  const armMs = armEnd - armStart;
  const dueTimes = plan.map((d) => Date.parse(d.dueAt));
  const firstDue = Math.min(...dueTimes);
  const lastDue = Math.max(...dueTimes);
  if (verbose) {
    const note = firstDue >= armEnd ? `window opens ${secs(firstDue - armEnd)} later` : `ARMING OVERRAN: first due ${secs(armEnd - firstDue)} before arming finished`;
    console.log(`  armed ${armed}/${count} in ${secs(armMs)} (${Math.round((armed * 1000) / Math.max(armMs, 1))}/s) ${note}`);
  }

  if (armFailures) console.warn(`  ${armFailures} of ${count} deadlines could not be armed`);
  const giveUpAt = Math.max(armEnd, lastDue) + opts.timeoutMs;
  let lastProgress = Date.now();
  while (firedSoFar() < count && Date.now() < giveUpAt && !stopped()) {
    if (verbose && Date.now() - lastProgress >= 5_000) {
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
  if (opts.splitSample && !stopped()) {
    // Where the lateness comes from, on a sample: the server firing the timer late, or everything after it
    // (workflow task to the worker, the step's activity scheduled and picked up).
    const sample = shuffle(plan.filter((d) => firings.has(d.key))).slice(0, opts.splitSample);
    split = { sampled: 0, timerLateMs: [], afterTimerMs: [], written: new Map() };
    for (const deadline of sample) {
      const history = await deps.firingHistory(deadline.workflowId).catch(() => undefined);
      const firing = firings.get(deadline.key);
      if (history === undefined || !firing) continue;
      const { firedAt } = history;
      split.sampled += 1;
      for (const type of history.written) split.written.set(type, (split.written.get(type) ?? 0) + 1);
      split.timerLateMs.push(firedAt - Date.parse(deadline.dueAt));
      split.afterTimerMs.push(firing.lateMs - (firedAt - Date.parse(deadline.dueAt)));
    }
  }
  return {
    kind, count, rate: count / (spread / 1000), armMs, firstDueAfterArmingMs: firstDue - armEnd, wallMs, fired, missed, doubled, dueMismatches,
    cpu: { arming: cpuUse(armMark, armEndMark), firing: cpuUse(armEndMark, endMark) },
    worker: new Map([...metricsEnd].map(([name, value]) => [name, value - (metricsStart.get(name) ?? 0)])),
    split,
  };
}

function cpuUse(from: CpuMark, to: CpuMark): CpuUse {
  return {
    serverMs: from.server !== undefined && to.server !== undefined ? to.server - from.server : undefined,
    benchMs: (to.bench.user - from.bench.user + to.bench.system - from.bench.system) / 1000,
  };
}

export function caseId(kind: Kind, tag: string, i: number): string {
  return `bench-case-${kind}-${tag}-${i}`;
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

/** Lateness of fired deadlines: sorted, with its percentiles. */
export function lateness(fired: number[]): { p50: number; p99: number; max: number; min: number } {
  const sorted = [...fired].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN, min: sorted.length ? sorted[0] : NaN };
}

export function late(ms: number): string {
  if (Number.isNaN(ms)) return '-';
  return Math.abs(ms) < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export function oneOf<T extends string>(name: string, values: readonly T[]): T {
  const raw = process.env[name] || values[0];
  if (!values.includes(raw as T)) throw new TypeError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** A table of rows padded to its widest cells. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
