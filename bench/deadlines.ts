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
import { cpus } from 'node:os';
import { intEnv, load, percentile, secs, writeSummary } from './bench-support';
import {
  type BatchResult, type Ceiling, type CpuUse, type Kind, late, lateness, oneOf, printTable, startDeadlineHarness,
} from './deadline-harness';

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

async function main(): Promise<void> {
  const wallStart = Date.now();
  console.log(`bench:deadlines  ${COUNT} deadlines, ${describeLoad()}; target p99 < ${TARGET_P99_MS} ms, none missed or doubled`);
  console.log(`${load()} at start`);
  const harness = await startDeadlineHarness({ arming: ARMING, cacheSize: 2 * COUNT + 4 * WARMUP_COUNT, timeoutMs: TIMEOUT_MS, label: 'bench-deadlines' });
  try {
    const runTag = Date.now().toString(36);
    const batch = (kind: Kind, tag: string, count: number, verbose: boolean, budgetMs: number) => harness.runBatch({
      kind, tag, count, verbose, budgetMs, spreadFromMs: SPREAD_FROM_MS, spreadToMs: SPREAD_TO_MS, splitSample: verbose ? SPLIT_SAMPLE : 0,
      inFlight: IN_FLIGHT, timeoutMs: TIMEOUT_MS,
    });

    // Warm-up (not reported): loads the workflow bundle, opens the sticky queues, warms both code paths, and
    // measures how fast this machine arms, so the due-time window opens after arming.
    console.log(`warm-up: ${WARMUP_COUNT} clocks and ${WARMUP_COUNT} timers …`);
    let armRate = 0; // deadlines per ms
    for (const kind of ORDER) {
      await harness.openCases(kind, `${runTag}w`, WARMUP_COUNT);
      const warm = await batch(kind, `${runTag}w`, WARMUP_COUNT, false, 3_000);
      armRate = Math.max(armRate, WARMUP_COUNT / Math.max(warm.armMs, 1));
    }
    console.log(`  armed at ${Math.round(armRate * 1000)}/s`);

    const results: BatchResult[] = [];
    for (const kind of ORDER) {
      if (harness.stopped()) break;
      console.log(`${kind} batch: ${COUNT} deadlines …`);
      await harness.openCases(kind, `${runTag}a`, COUNT);
      let budget = Math.ceil((COUNT / armRate) * 1.5) + 1_000;
      let result = await batch(kind, `${runTag}a`, COUNT, true, budget);
      if (result.firstDueAfterArmingMs < 0 && !harness.stopped()) {
        // Deadlines fell due while others were still being armed: not the measurement asked for. Once those have
        // all fired, arm a fresh batch whose window opens after an arming as slow as the one just seen.
        budget = Math.ceil(result.armMs * 1.5) + 1_000;
        console.log(`${kind} batch: arming overran its budget (${secs(result.armMs)}); arming again with a budget of ${secs(budget)} …`);
        await harness.openCases(kind, `${runTag}b`, COUNT);
        result = await batch(kind, `${runTag}b`, COUNT, true, budget);
      }
      console.log(`  fired ${result.fired.length}/${COUNT} (${load()})`);
      results.push(result);
    }

    const ceiling = harness.stopped() ? undefined : await harness.measureCeiling(CEILING_COUNT);
    if (ceiling) console.log(`  ${ceiling.count} in ${secs(ceiling.ms)} (${load()})`);
    printReport(results, ceiling, Date.now() - wallStart);
  } finally {
    await harness.close();
  }
  console.log(`total wall time ${secs(Date.now() - wallStart)}`);
}

function printReport(results: BatchResult[], ceiling: Ceiling | undefined, wallMs: number): void {
  const rows = results.map((r) => {
    const { p50, p99, max, min } = lateness(r.fired);
    const pass = r.missed.length === 0 && r.doubled === 0 && p99 < TARGET_P99_MS;
    return { r, p50, p99, max, min, pass };
  });
  const header = ['deadlines as', 'armed in', 'fell due at', 'fired', 'min', 'p50', 'p99', 'max', 'missed', 'doubled', `target p99<${TARGET_P99_MS}ms`];
  const table = rows.map(({ r, p50, p99, max, min, pass }) => [
    r.kind === 'clock' ? 'clocks (runClock)' : 'bare timers', secs(r.armMs), `${Math.round(r.rate)}/s`, `${r.fired.length}/${r.count}`,
    late(min), late(p50), late(p99), late(max), String(r.missed.length), String(r.doubled), pass ? 'PASS' : 'MISS',
  ]);
  console.log(`\n=== deadline lateness (activity start minus due time): ${COUNT} deadlines, ${describeLoad()} ===`);
  printTable(header, table);
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
      // What a firing costs the server: every event is written to its store, and a search-attribute upsert to visibility too.
      const written = [...r.split.written].map(([type, n]) => `${type} ${(n / r.split!.sampled).toFixed(1)}`).join(', ');
      console.log(`    events a firing wrote, per firing: ${written}`);
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

function signed(ms: number): string {
  return Number.isNaN(ms) ? '-' : `${ms >= 0 ? '+' : '−'}${late(Math.abs(ms))}`;
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench:deadlines failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
