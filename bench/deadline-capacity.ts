/**
 * `npm run bench:capacity`: a benchmark, not a test. The deadline **capacity** of three mechanisms on this machine,
 * in one run: the highest rate of deadlines falling due (per second) at which p99 lateness stays under 0.5 s, none
 * missed and none doubled.
 *   - clocks: the project's clock mechanism (`startClock` + `runClock`, one local activity per firing), each deadline
 *     armed by a command (Update) into a running case-shaped workflow, as a case arms a clock;
 *   - bare Temporal timers: the same deadlines as a plain `sleep` in the same workflows (the platform's figure);
 *   - pg-boss 10 (a Postgres job queue) tuned as asked: jobs with `startAfter` = due time, one worker in this process
 *     polling every 0.5 s for batches of 50 (BENCH_PGBOSS_WORKERS such workers), on an embedded PostgreSQL here.
 * The rate steps up (BENCH_RATES, default 5,10,25,50,100,150,200,300,400 per second), each step a window of BENCH_WINDOW_S
 * (8) seconds of due times after every deadline of the step is armed; at each rate the mechanisms still standing run
 * one after the other, so each rate meets the three on the same machine within a minute or so. A mechanism stops at
 * the first rate it tips over (p99 ≥ 0.5 s, or any missed or doubled) twice running: a step that tips is run once more
 * at the same rate (both rows printed), so one noisy window on a shared machine does not end it. pg-boss's p99 sits
 * near its polling interval by design (a job due just after a poll waits for the next one), so its verdict at a
 * 0.5 s poll is decided by milliseconds around the target. Lateness: when the firing's handler ran
 * (the activity, or the pg-boss job handler, both in this process) minus the due time.
 * Prints the table rate → p50/p99/max/missed/doubled per mechanism, each capacity, the trivial-workflow ceiling of
 * the same Temporal server as the reference, the machine's load per step; writes bench/results/capacity-summary.json.
 *
 * Knobs: BENCH_RATES, BENCH_WINDOW_S (8), BENCH_IN_FLIGHT (armings at once, 50), BENCH_TIMEOUT_S (30),
 * BENCH_CEILING_COUNT (300), BENCH_PGBOSS_WORKERS (1), BENCH_MECHANISMS (clock,timer,pg-boss).
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import PgBoss from 'pg-boss';
import { startEmbeddedPostgres } from '../scripts/stack/embedded-postgres';
import { freePort } from '../scripts/stack/ports';
import { delay, inLanes, intEnv, load, pidsByCommandLine, secs, treeCpuMs } from './bench-support';
import { type BatchResult, type Kind, late, lateness, printTable, shuffle, startDeadlineHarness } from './deadline-harness';
import { writeSummary } from './bench-support';

type Mechanism = Kind | 'pg-boss';

const RATES = (process.env.BENCH_RATES || '5,10,25,50,100,150,200,300,400').split(',').map(Number);
const WINDOW_MS = intEnv('BENCH_WINDOW_S', 8) * 1000;
const IN_FLIGHT = intEnv('BENCH_IN_FLIGHT', 50);
const TIMEOUT_MS = intEnv('BENCH_TIMEOUT_S', 30) * 1000;
const CEILING_COUNT = intEnv('BENCH_CEILING_COUNT', 300);
const PGBOSS_WORKERS = intEnv('BENCH_PGBOSS_WORKERS', 1);
const MECHANISMS = (process.env.BENCH_MECHANISMS || 'clock,timer,pg-boss').split(',') as Mechanism[];
const TARGET_P99_MS = 500;
/** The window opens this long after arming is expected to end. */
const LEAD_MS = 2_000;
const WARMUP_COUNT = 100;
const QUEUE = 'deadline';

interface Step { mechanism: Mechanism; rate: number; count: number; fired: number[]; missed: number; doubled: number; armMs: number; overran: boolean; load: number; cpuPerFiringMs?: number }

async function main(): Promise<void> {
  if (RATES.some((r) => !Number.isFinite(r) || r <= 0)) throw new TypeError(`BENCH_RATES must be positive numbers, got "${process.env.BENCH_RATES}"`);
  const maxCount = Math.max(...RATES) * (WINDOW_MS / 1000);
  console.log(`bench:capacity  deadlines falling due at ${RATES.join(', ')}/s, each over a ${WINDOW_MS / 1000} s window, for ${MECHANISMS.join(', ')}; capacity: the highest rate with p99 lateness < ${TARGET_P99_MS} ms, none missed or doubled`);
  console.log(`${load()} at start (${cpus()[0]?.model ?? 'unknown CPU'})`);

  const harness = await startDeadlineHarness({ arming: 'case', cacheSize: 2 * (maxCount + WARMUP_COUNT) + 100, timeoutMs: TIMEOUT_MS, label: 'bench-capacity' });
  const boss = MECHANISMS.includes('pg-boss') ? await startPgBoss() : undefined;
  const steps: Step[] = [];
  let ceiling: { count: number; ms: number } | undefined;
  try {
    const runTag = Date.now().toString(36);
    // Cases to arm into: one per deadline of the step, opened as the steps grow and reused by the later steps (a case
    // holds several clocks), before the step's arming starts.
    const temporalKinds = MECHANISMS.filter((m): m is Kind => m === 'clock' || m === 'timer');
    const opened: Record<Kind, number> = { clock: 0, timer: 0 };
    for (const kind of temporalKinds) await harness.openCases(kind, `${runTag}w`, WARMUP_COUNT);
    // Warm-up (not reported): the bundle, the sticky queues and both code paths; how fast this machine arms.
    let armRate = 0;
    for (const kind of temporalKinds) {
      const warm = await harness.runBatch({ kind, tag: `${runTag}w`, count: WARMUP_COUNT, verbose: false, budgetMs: 3_000, spreadFromMs: 0, spreadToMs: 1_000, inFlight: IN_FLIGHT, timeoutMs: TIMEOUT_MS });
      armRate = Math.max(armRate, WARMUP_COUNT / Math.max(warm.armMs, 1));
    }
    if (boss) await boss.run(WARMUP_COUNT, 0, 1_000, 3_000);
    console.log(`warm-up done; Temporal arms at ${Math.round(armRate * 1000)}/s (${load()})`);

    const runStep = async (mechanism: Mechanism, rate: number, count: number, budgetMs: number, loadNow: number): Promise<Step> => {
      if (mechanism === 'pg-boss') return boss!.run(count, rate, WINDOW_MS, LEAD_MS + 1_000);
      await harness.openCases(mechanism, runTag, count, opened[mechanism]);
      opened[mechanism] = Math.max(opened[mechanism], count);
      const r: BatchResult = await harness.runBatch({
        kind: mechanism, tag: runTag, keyTag: `-${rate}-${steps.length}`, count, verbose: false, budgetMs, spreadFromMs: 0, spreadToMs: WINDOW_MS, inFlight: IN_FLIGHT, timeoutMs: TIMEOUT_MS,
      });
      return {
        mechanism, rate, count, fired: r.fired, missed: r.missed.length, doubled: r.doubled, armMs: r.armMs, overran: r.firstDueAfterArmingMs < 0, load: loadNow,
        cpuPerFiringMs: r.cpu.firing.serverMs === undefined ? undefined : (r.cpu.firing.serverMs + r.cpu.firing.benchMs) / count,
      };
    };
    const standing = new Set<Mechanism>(MECHANISMS);
    const tippedOnce = new Set<Mechanism>();
    const retry = new Set<Mechanism>();
    const queue = RATES.map((rate) => ({ rate, only: undefined as Mechanism[] | undefined }));
    while (queue.length && standing.size && !harness.stopped()) {
      const { rate, only } = queue.shift()!;
      const count = Math.round(rate * (WINDOW_MS / 1000));
      for (const mechanism of only ?? MECHANISMS) {
        if (!standing.has(mechanism) || harness.stopped()) continue;
        const budgetMs = Math.ceil(count / Math.max(armRate, 0.01)) * 1.5 + LEAD_MS;
        const loadNow = loadavg()[0];
        let step: Step;
        try {
          step = await runStep(mechanism, rate, count, budgetMs, loadNow);
        } catch (err) {
          // A step that fails outright (the server overwhelmed) has tipped the mechanism over.
          console.warn(`  ${mechanism} at ${rate}/s failed: ${(err as Error).message}`);
          step = { mechanism, rate, count, fired: [], missed: count, doubled: 0, armMs: 0, overran: false, load: loadNow };
        }
        step.load = loadNow;
        steps.push(step);
        const l = lateness(step.fired);
        const ok = passes(step);
        console.log(`  ${mechanism.padEnd(7)} ${String(rate).padStart(4)}/s (${count}): p50 ${late(l.p50)}, p99 ${late(l.p99)}, max ${late(l.max)}, missed ${step.missed}, doubled ${step.doubled}${step.overran ? ', ARMING OVERRAN' : ''} — ${ok ? 'holds' : 'tipped over'} (${load()})`);
        if (!ok) {
          if (tippedOnce.has(mechanism)) standing.delete(mechanism);
          else { tippedOnce.add(mechanism); retry.add(mechanism); }
        } else tippedOnce.delete(mechanism);
      }
      // Whoever tipped over at this rate runs it once more before the next rate.
      if (retry.size) queue.unshift({ rate, only: [...retry] });
      retry.clear();
    }
    if (temporalKinds.length && !harness.stopped()) {
      ceiling = await harness.measureCeiling(CEILING_COUNT);
      console.log(`  ceiling: ${ceiling.count} trivial workflows in ${secs(ceiling.ms)} (${load()})`);
    }
  } finally {
    await boss?.stop();
    await harness.close();
  }
  report(steps, ceiling);
}

function passes(step: Step): boolean {
  return step.missed === 0 && step.doubled === 0 && !step.overran && lateness(step.fired).p99 < TARGET_P99_MS;
}

function report(steps: Step[], ceiling: { count: number; ms: number } | undefined): void {
  const label: Record<Mechanism, string> = { clock: 'clocks (runClock)', timer: 'bare timers', 'pg-boss': 'pg-boss (0.5 s poll, batch 50)' };
  console.log(`\n=== deadline capacity: lateness (handler start minus due time) by rate of deadlines falling due, ${WINDOW_MS / 1000} s windows ===`);
  printTable(['mechanism', 'rate', 'deadlines', 'p50', 'p99', 'max', 'missed', 'doubled', 'CPU/firing', 'load', `p99<${TARGET_P99_MS}ms`], steps.map((s) => {
    const l = lateness(s.fired);
    return [label[s.mechanism], `${s.rate}/s`, String(s.count), late(l.p50), late(l.p99), late(l.max), String(s.missed), String(s.doubled),
      s.cpuPerFiringMs === undefined ? '-' : `${s.cpuPerFiringMs.toFixed(1)} ms`, s.load.toFixed(2), passes(s) ? 'holds' : (s.overran ? 'armed late' : 'TIPS')];
  }));
  // The highest rate below the one it tipped over at twice running.
  const tipped = (m: Mechanism) => {
    const mine = steps.filter((s) => s.mechanism === m);
    return mine.find((s, i) => i > 0 && !passes(s) && !passes(mine[i - 1]) && mine[i - 1].rate === s.rate)?.rate;
  };
  const capacity = (m: Mechanism) => Math.max(0, ...steps.filter((s) => s.mechanism === m && passes(s) && s.rate < (tipped(m) ?? Infinity)).map((s) => s.rate));
  const ceilingRate = ceiling ? (ceiling.count * 1000) / ceiling.ms : undefined;
  console.log(`capacity (highest rate held below the one that tipped it twice running): ${MECHANISMS.map((m) => `${label[m]} ${capacity(m)}/s${tipped(m) ? ` (tipped at ${tipped(m)}/s)` : ' (never tipped)'}`).join('; ')}`);
  if (ceilingRate) console.log(`reference, same run and server: ${ceilingRate.toFixed(0)} trivial one-activity workflows/s (the ceiling); clocks' capacity / ceiling = ${(capacity('clock') / ceilingRate).toFixed(2)}`);
  if (MECHANISMS.includes('clock') && MECHANISMS.includes('timer') && capacity('timer')) console.log(`clocks / bare timers capacity ratio ${(capacity('clock') / capacity('timer')).toFixed(2)}`);
  const [one, five] = loadavg();
  console.log(`machine: ${cpus().length} cores, load ${one.toFixed(2)} / ${five.toFixed(2)} (1 / 5 min) at the end; the client, worker, Temporal server and PostgreSQL share these cores`);
  writeSummary('capacity', MECHANISMS.map((m) => ({
    name: `deadline capacity: ${label[m]}`, value: capacity(m), unit: 'deadlines/s', target: `highest rate with p99 < ${TARGET_P99_MS} ms`,
    reference: ceilingRate ? `${ceilingRate.toFixed(0)} trivial workflows/s, same server` : undefined,
    ratio: ceilingRate ? Number((capacity(m) / ceilingRate).toFixed(3)) : undefined,
    settings: { rates: RATES, windowS: WINDOW_MS / 1000, tippedAt: tipped(m) ?? null, ...(m === 'pg-boss' ? { pollingIntervalSeconds: 0.5, batchSize: 50, workers: PGBOSS_WORKERS } : { arming: 'Update into a running case-shaped workflow', maxConcurrentWorkflowTaskExecutions: 10 }) },
  })));
}

/** pg-boss on an embedded PostgreSQL of its own: deadlines as jobs with `startAfter`, handled in this process. */
async function startPgBoss(): Promise<{ run(count: number, rate: number, windowMs: number, leadMs: number): Promise<Step>; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'precharge-pgboss-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'pgboss_bench', persistent: false });
  const pgPid = pidsByCommandLine(dir)[0];
  const boss = new PgBoss({ connectionString: pg.url, schema: 'pgboss', max: 10, supervise: false, schedule: false });
  boss.on('error', (err) => console.warn(`pg-boss: ${err.message}`));
  await boss.start();
  await boss.createQueue(QUEUE);
  const firings = new Map<string, { count: number; lateMs: number }>();
  for (let w = 0; w < PGBOSS_WORKERS; w += 1) {
    await boss.work<{ key: string; dueAt: string }>(QUEUE, { pollingIntervalSeconds: 0.5, batchSize: 50 }, async (jobs) => {
      const now = Date.now();
      for (const job of jobs) {
        const seen = firings.get(job.data.key);
        if (seen) seen.count += 1;
        else firings.set(job.data.key, { count: 1, lateMs: now - Date.parse(job.data.dueAt) });
      }
    });
  }
  let run = 0;
  return {
    async run(count, rate, windowMs, leadMs) {
      run += 1;
      const cpuBefore = (treeCpuMs(pgPid) ?? 0) + cpuMs(process.cpuUsage());
      const armStart = Date.now();
      const windowOpens = armStart + leadMs;
      const plan = shuffle(Array.from({ length: count }, (_, i) => ({ key: `pgboss-${run}-${i}`, dueAt: new Date(windowOpens + Math.round((windowMs * i) / Math.max(count - 1, 1))).toISOString() })));
      // Armed in inserts of 500 rows; the arming is not what is measured.
      const chunks = Array.from({ length: Math.ceil(count / 500) }, (_, c) => plan.slice(c * 500, (c + 1) * 500));
      await inLanes(chunks.length, 4, () => false, async (c) => {
        await boss.insert(chunks[c].map((d) => ({ name: QUEUE, data: d, startAfter: d.dueAt })));
      });
      const armMs = Date.now() - armStart;
      const giveUpAt = windowOpens + windowMs + TIMEOUT_MS;
      while (plan.some((d) => !firings.has(d.key)) && Date.now() < giveUpAt) await delay(100);
      await delay(1_000);
      const cpuAfter = (treeCpuMs(pgPid) ?? 0) + cpuMs(process.cpuUsage());
      const fired = plan.flatMap((d) => (firings.has(d.key) ? [firings.get(d.key)!.lateMs] : []));
      return {
        mechanism: 'pg-boss', rate, count, fired, missed: count - fired.length, doubled: plan.filter((d) => (firings.get(d.key)?.count ?? 0) > 1).length,
        armMs, overran: armStart + armMs > windowOpens, load: loadavg()[0], cpuPerFiringMs: pgPid ? (cpuAfter - cpuBefore) / count : undefined,
      };
    },
    async stop() {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      await pg.stop();
    },
  };
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench:capacity failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
