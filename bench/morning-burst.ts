/**
 * `npm run bench:burst`: a benchmark, not a test. Scale on one machine: BENCH_CASES (10,000) open cases with all their
 * live clocks, imported from the case generator through `POST /api/imports` into a whole throwaway system as deployed
 * (bench/case-system.ts), then a morning's clocks falling due at once, with the worker's cache holding only part of
 * the cases (BENCH_TUNINGS) so most firings replay a case's history first.
 *
 * How the clocks come due together (the simplest honest way found): the import takes each case's past, computes its
 * clocks from the events' times and arms what is still to come. Every open case carries the victim's 28-day routine
 * update clock (started at the report and re-armed by each routine update to the victim; a reminder 3 days before it
 * falls due). Each generated case is cut after its last routine update (a case as it stood that day: it is open and
 * its clock was armed by that event) and its whole timeline shifted (every instant by the same amount, dates by whole
 * days) so that the event lands exactly 25 days before the burst instant T: the import then arms, in every case,
 * a reminder due at T, thousands in the same second, through the product's own code. No clock is touched by hand
 * and the server's time is the real one (the dev server does not skip time). The import's speed is measured first on
 * a small file, and T set after the big import's expected end.
 *
 * Several tunings in one run: BENCH_TUNINGS is a `;`-separated list of worker settings (`cache=N,tasks=N,sticky=10s,
 * locals=N,pollers=autoscaling|N,ratio=0.5`: worker/worker-tuning.ts's WORKER_* variables); the cases are
 * split into as many cohorts, each falling due at its own instant BENCH_GAP_S apart, and the worker is restarted with
 * the next tuning before each (a fresh cache: its cases are not in it, so each firing replays).
 * For each: lateness of each firing (the reminder's inbox task row written, minus T: p50/p99/max), missed (no task
 * within BENCH_TIMEOUT_S), doubled (a step recorded twice in the case's state), and the worker's, Temporal's,
 * PostgreSQL's and the API's CPU per firing over the burst, beside the same processes' CPU over an idle stretch just
 * before it (the reference). Writes bench/results/burst-summary.json.
 *
 * Knobs: BENCH_CASES (10000), BENCH_TUNINGS (`cache=1000,tasks=10`), BENCH_YEARS (1), BENCH_SEED (7),
 * BENCH_GAP_S (120), BENCH_TIMEOUT_S (600), BENCH_POLL_MS (2000).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO_UNIT } from '../scripts/demo/demo-api';
import { delay, intEnv, load, percentile, secs } from './bench-support';
import { type CaseSystem, generateCaseFile, importCaseFile, type Proc, startCaseSystem } from './case-system';
import { late, printTable } from './deadline-harness';
import { writeSummary } from './bench-support';

const CASES = intEnv('BENCH_CASES', 10_000);
const TUNINGS = (process.env.BENCH_TUNINGS || 'cache=1000,tasks=10').split(';').map(parseTuning);
const YEARS = intEnv('BENCH_YEARS', 1);
const SEED = intEnv('BENCH_SEED', 7);
const GAP_MS = intEnv('BENCH_GAP_S', 120) * 1000;
const TIMEOUT_MS = intEnv('BENCH_TIMEOUT_S', 600) * 1000;
const POLL_MS = intEnv('BENCH_POLL_MS', 2_000);
const CALIBRATION_CASES = 100;
const DAY = 86_400_000;
/** The routine update clock's reminder: P28D due, reminder -P3D (policy/default-policy.json). */
const REMINDER_AFTER_MS = 25 * DAY;
const CLOCK = 'victim.routineUpdate';
const TARGET_P99_MS = 500;

interface Tuning { label: string; env: NodeJS.ProcessEnv }

function parseTuning(spec: string): Tuning {
  const env: NodeJS.ProcessEnv = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value] = part.split('=');
    const name = { cache: 'WORKER_MAX_CACHED_WORKFLOWS', tasks: 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', sticky: 'WORKER_STICKY_QUEUE_TIMEOUT', locals: 'WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES', pollers: 'WORKER_WORKFLOW_POLLERS', ratio: 'WORKER_SHARED_QUEUE_POLL_RATIO' }[key];
    if (!name || !value) throw new TypeError(`BENCH_TUNINGS: unknown setting "${part}" (cache=, tasks=, sticky=, locals=, pollers=, ratio=)`);
    env[name] = value;
  }
  return { label: spec, env };
}

interface Burst { tuning: Tuning; at: number; expected: number; fired: number[]; missed: number; doubled: number; cpuMs: Partial<Record<Proc, number>>; idleCpuMsPerS: Partial<Record<Proc, number>>; spanMs: number; load: number }

async function main(): Promise<void> {
  console.log(`bench:burst  ${CASES.toLocaleString('en-GB')} open cases imported, then each cohort's ${CLOCK} reminders due in the same second; tunings: ${TUNINGS.map((t) => t.label).join(' | ')}`);
  console.log(`${load()} at start`);
  const cs = await startCaseSystem('precharge-bench-burst-', TUNINGS[0].env);
  try {
    // The import's speed on this machine now: a small file of ordinary generated cases (they stay open beside the rest).
    const calibration = await generateCaseFile(join(cs.dir, 'calibration.jsonl'), DEMO_UNIT, CALIBRATION_CASES, { seed: SEED + 1, years: YEARS, quiet: true });
    const cal = await importCaseFile(cs.sys.apiUrl, cs.admin, calibration.path, { pollMs: 500 });
    const msPerCase = cal.elapsedMs / CALIBRATION_CASES;
    const generated = await generateCaseFile(join(cs.dir, 'generated.jsonl'), DEMO_UNIT, CASES, { seed: SEED, years: YEARS });
    const expectedImportMs = msPerCase * CASES * 1.6 + 60_000;
    const first = Math.ceil((Date.now() + expectedImportMs) / 1000) * 1000;
    const instants = TUNINGS.map((_, k) => first + k * GAP_MS);
    console.log(`calibration: ${CALIBRATION_CASES} cases imported in ${secs(cal.elapsedMs)}; the burst${instants.length > 1 ? 's' : ''} at ${instants.map((t) => new Date(t).toISOString()).join(', ')}`);
    const burstFile = join(cs.dir, 'burst.jsonl');
    const kept = await shiftCases(generated.path, burstFile, instants);
    console.log(`${kept.toLocaleString('en-GB')} cases cut after their last routine update and shifted so its reminder falls due at their cohort's instant`);
    const done = await importCaseFile(cs.sys.apiUrl, cs.admin, burstFile, {
      pollMs: POLL_MS, onProgress: (p, ms) => { if (p.percent % 20 === 0) console.log(`  import ${p.percent}% in ${secs(ms)} (${load()})`); },
    });
    console.log(`import ${done.report.status as string} in ${secs(done.elapsedMs)}: ${done.report.imported as number} imported (${done.report.open as number} open), ${done.report.refused as number} refused (${load()})`);
    if (Date.now() > first) throw new Error(`the import ended ${secs(Date.now() - first)} after the first burst instant: run again (the calibration underestimated it)`);

    const bursts: Burst[] = [];
    for (const [k, tuning] of TUNINGS.entries()) {
      if (k > 0) {
        console.log(`restarting the worker with ${tuning.label} …`);
        await cs.sys.restart('worker', { signal: 'SIGTERM', env: tuning.env });
        // The idle reference is taken in the 20 s before the instant: the new worker must have bundled and settled by then.
        if (instants[k] - Date.now() < 40_000) console.warn(`  only ${secs(instants[k] - Date.now())} left before this cohort's instant: its idle reference may include the worker starting (raise BENCH_GAP_S)`);
      }
      bursts.push(await measureBurst(cs, tuning, instants[k]));
      if (cs.failure()) throw new Error(cs.failure());
    }
    report(bursts, msPerCase);
  } finally {
    await cs.stop();
  }
}

/** Cuts each case after its last routine victim update and shifts it so that update is 25 days before its cohort's instant. */
async function shiftCases(from: string, to: string, instants: number[]): Promise<number> {
  const out = createWriteStream(to);
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(from), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const kase = JSON.parse(line) as { reportedAt: string; events?: { type: string; at: string; kind?: string }[] };
    const events = kase.events ?? [];
    const last = events.map((e) => e.type === 'victim.contacted' && e.kind === 'routine-update').lastIndexOf(true);
    kase.events = events.slice(0, last + 1);
    const anchor = Date.parse(last >= 0 ? events[last].at : kase.reportedAt);
    const delta = instants[n % instants.length] - REMINDER_AFTER_MS - anchor;
    out.write(`${JSON.stringify(shift(kase, delta))}\n`);
    n += 1;
  }
  await new Promise((resolve) => out.end(resolve));
  return n;
}

/** Every instant in a case moved by `deltaMs`, every date by the whole days of it. */
function shift(value: unknown, deltaMs: number): unknown {
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(value)) return new Date(Date.parse(value) + deltaMs).toISOString().replace('.000Z', 'Z');
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(Date.parse(`${value}T00:00:00Z`) + Math.floor(deltaMs / DAY) * DAY).toISOString().slice(0, 10);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => shift(v, deltaMs));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shift(v, deltaMs)]));
  return value;
}

async function measureBurst(cs: CaseSystem, tuning: Tuning, at: number): Promise<Burst> {
  const dueAt = new Date(at + 3 * DAY).toISOString();
  const [{ n: expected }] = await cs.dataSource.query(`SELECT count(*)::int AS n FROM case_clocks WHERE name = $1 AND status = 'running' AND due_at = $2`, [CLOCK, dueAt]) as { n: number }[];
  console.log(`burst at ${new Date(at).toISOString()} (${tuning.label}): ${expected} reminders due; waiting ${secs(at - Date.now())} …`);
  // The reference: the same processes' CPU over an idle stretch just before the burst.
  const idleFrom = Math.max(Date.now(), at - 20_000);
  await delay(idleFrom - Date.now());
  const idleStart = { t: Date.now(), cpu: cs.cpu() };
  await delay(Math.max(0, at - 1_000 - Date.now()));
  const burstStart = { t: Date.now(), cpu: cs.cpu() };
  const idleCpuMsPerS = perSecond(diff(idleStart.cpu, burstStart.cpu), burstStart.t - idleStart.t);
  // This cohort's reminders only: their clocks are due 3 days after the instant (another cohort's are a gap apart).
  const count = async () => ((await cs.dataSource.query(`SELECT count(DISTINCT clock_key)::int AS n FROM tasks WHERE clock_name = $1 AND step = 0 AND due_at = $2`, [CLOCK, dueAt])) as { n: number }[])[0].n;
  let seen = 0;
  let lastChange = Date.now();
  while (Date.now() < at + TIMEOUT_MS) {
    await delay(1_000);
    const now = await count();
    if (now !== seen) { seen = now; lastChange = Date.now(); }
    if (seen >= expected && Date.now() - lastChange > 2_000) break;
    if (Date.now() % 10_000 < 1_000) console.log(`  ${seen}/${expected} fired ${secs(Date.now() - at)} after T (${load()})`);
  }
  const end = { t: Date.now(), cpu: cs.cpu() };
  const rows = await cs.dataSource.query(
    `SELECT clock_key, extract(epoch FROM min(created_at)) * 1000 AS first FROM tasks WHERE clock_name = $1 AND step = 0 AND due_at = $2 GROUP BY clock_key`,
    [CLOCK, dueAt],
  ) as { clock_key: string; first: string }[];
  const fired = rows.map((r) => Number(r.first) - at);
  const [{ n: doubled }] = await cs.dataSource.query(
    `SELECT count(*)::int AS n FROM cases c, jsonb_array_elements(c.live_state->'clocks') clock
      WHERE clock->>'name' = $1 AND (SELECT count(*) FROM jsonb_array_elements(clock->'firings') f WHERE (f->>'at')::timestamptz = $2::timestamptz) > 1`,
    [CLOCK, new Date(at).toISOString()],
  ) as { n: number }[];
  const burst: Burst = { tuning, at, expected, fired, missed: Math.max(0, expected - fired.length), doubled, cpuMs: diff(burstStart.cpu, end.cpu), idleCpuMsPerS, spanMs: end.t - burstStart.t, load: loadavg()[0] };
  const sorted = [...fired].sort((a, b) => a - b);
  console.log(`  ${fired.length}/${expected} fired: p50 ${late(percentile(sorted, 0.5))}, p99 ${late(percentile(sorted, 0.99))}, max ${late(sorted.at(-1) ?? NaN)}, missed ${burst.missed}, doubled ${doubled} (${load()})`);
  return burst;
}

function diff(a: Record<Proc, number | undefined>, b: Record<Proc, number | undefined>): Partial<Record<Proc, number>> {
  return Object.fromEntries((Object.keys(a) as Proc[]).map((k) => [k, a[k] !== undefined && b[k] !== undefined ? b[k]! - a[k]! : undefined]));
}

function perSecond(cpu: Partial<Record<Proc, number>>, ms: number): Partial<Record<Proc, number>> {
  return Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, v === undefined ? undefined : v / (ms / 1000)]));
}

function report(bursts: Burst[], msPerCase: number): void {
  console.log(`\n=== morning burst: ${CLOCK} reminders due in the same second, lateness = inbox task written minus due time ===`);
  const procs: Proc[] = ['worker', 'temporal', 'postgres', 'api'];
  const perFiring = (b: Burst, p: Proc) => {
    const total = b.cpuMs[p];
    const idle = (b.idleCpuMsPerS[p] ?? 0) * (b.spanMs / 1000);
    return total === undefined || !b.fired.length ? NaN : (total - idle) / b.fired.length;
  };
  printTable(['tuning', 'due', 'fired', 'p50', 'p99', 'max', 'missed', 'doubled', ...procs.map((p) => `${p} CPU/firing`), 'burst span', 'load'], bursts.map((b) => {
    const s = [...b.fired].sort((x, y) => x - y);
    return [b.tuning.label, String(b.expected), String(b.fired.length), late(percentile(s, 0.5)), late(percentile(s, 0.99)), late(s.at(-1) ?? NaN), String(b.missed), String(b.doubled),
      ...procs.map((p) => `${perFiring(b, p).toFixed(1)} ms`), secs(b.spanMs), b.load.toFixed(2)];
  }));
  console.log(`reference: CPU of the same processes over an idle stretch just before each burst, subtracted above; idle per second: ${bursts.map((b) => procs.map((p) => `${p} ${(b.idleCpuMsPerS[p] ?? NaN).toFixed(0)} ms`).join(', ')).join(' | ')}`);
  const cpuPerFiringOf = (b: Burst) => procs.reduce((n, p) => n + (Number.isNaN(perFiring(b, p)) ? 0 : perFiring(b, p)), 0);
  const mostPerSecond = (b: Burst) => Math.round((cpus().length * 1000) / Math.max(cpuPerFiringOf(b), 0.1));
  for (const b of bursts) {
    const cpuPerFiring = cpuPerFiringOf(b);
    const drainS = (b.fired.length ? Math.max(...b.fired) : NaN) / 1000;
    console.log(`${b.tuning.label}: ${cpuPerFiring.toFixed(1)} ms of CPU per firing in all processes, so these ${cpus().length} cores fire at most ~${mostPerSecond(b)}/s; `
      + `${b.expected} fired within ${drainS.toFixed(1)} s (${(b.fired.length / Math.max(drainS, 0.001)).toFixed(0)}/s). 100,000 open cases all falling due at once would need ~${((cpuPerFiring * 100_000) / 1000).toFixed(0)} CPU-seconds, `
      + `the last firing ~${((cpuPerFiring * 100_000) / 1000 / cpus().length).toFixed(0)} s late on these cores`);
  }
  console.log(`import: ${(1000 / msPerCase).toFixed(1)} cases/s here, so 100,000 cases take ~${secs(msPerCase * 100_000)}; machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
  writeSummary('burst', bursts.flatMap((b) => {
    const s = [...b.fired].sort((x, y) => x - y);
    const settings = { cases: CASES, due: b.expected, tuning: b.tuning.label };
    // The reference: how fast these cores can fire at the CPU a firing took, so how late the last of them must be.
    const reference = `${b.expected} due at once; at ${cpuPerFiringOf(b).toFixed(1)} ms of CPU a firing these cores fire ~${mostPerSecond(b)}/s`;
    return [
      { name: `morning burst p99 lateness (${b.tuning.label})`, value: Math.round(percentile(s, 0.99)), unit: 'ms', target: `< ${TARGET_P99_MS} ms`, pass: percentile(s, 0.99) < TARGET_P99_MS, reference, settings },
      { name: `morning burst p50 lateness (${b.tuning.label})`, value: Math.round(percentile(s, 0.5)), unit: 'ms', reference, settings },
      { name: `morning burst missed (${b.tuning.label})`, value: b.missed, unit: 'firings', target: '0', pass: b.missed === 0, settings },
      { name: `morning burst doubled (${b.tuning.label})`, value: b.doubled, unit: 'firings', target: '0', pass: b.doubled === 0, settings },
      ...procs.map((p) => ({ name: `morning burst ${p} CPU per firing (${b.tuning.label})`, value: Number(perFiring(b, p).toFixed(2)), unit: 'ms', reference: `idle ${(b.idleCpuMsPerS[p] ?? NaN).toFixed(0)} ms/s subtracted`, settings })),
    ];
  }));
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench:burst failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
