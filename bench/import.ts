/**
 * `npm run bench:import`: a benchmark, not a test. Starts a whole system of its own on loopback (embedded PostgreSQL,
 * Temporal's dev server with the SQLite store as `npm start` runs it, an SMTP catcher, the worker and the API from
 * dist/ under the default policy) with the demo's forces, units and people, writes two files of synthetic cases with
 * the generator (`npm run generate:cases`) into a scratch directory, then imports them as a regional administrator
 * would: each file POSTed to `/api/imports` streamed from disk, `GET /api/imports/:id` polled until the job is done.
 *   - a small import first (BENCH_SMALL_CASES, a fifth of BENCH_CASES, into the second force's unit), then the big
 *     one (BENCH_CASES into the first force's unit): the same import at two sizes in one run, so memory that grew
 *     with the file would show as the difference between them;
 *   - for each: cases per second (lines of the file over the time from the upload's start to the job's end), the
 *     cases imported and refused, how many running case workflows it started, the peak resident memory (RSS) of the
 *     API and of the worker process (sampled from /proc every BENCH_SAMPLE_MS) against their RSS just before, and
 *     each server process's CPU over the import;
 *   - the time to the first page of the case list (`GET /api/cases?pageSize=25` as the first unit's DS: the first
 *     request, and the median of 10 one at a time) after the imports, beside the same request before them;
 *   - references measured in the same run, before and after: a `SELECT 1` round trip to PostgreSQL from this
 *     process, `/api/health` (a round trip each to PostgreSQL, Temporal and SMTP; the SMTP catcher holds its greeting
 *     ~100 ms), and a dry run (`?dryRun=true`) of the small file's first BENCH_DRY_CASES cases: the same replay
 *     through the rules in a transaction rolled back, without the durable job or the workflows.
 * Target: 10,000 cases in under 5 minutes (a slower or faster rate is scaled to 10,000 when BENCH_CASES differs), with
 * memory flat: each heap's live size (what is left after each full collection: the server processes run with
 * --trace-gc, and the heap ceilings the Helm chart ships, and the bench reads their log) rising by less than 24 MB,
 * by the least-squares line through its full collections: the API's and the worker's main thread over the whole big
 * import (a cost of 2.5 KB per case held would reach it), the worker's workflow thread over its second half. The
 * workflow thread holds the worker's cache of case workflows, which fills (to its bound, 300) as the import starts
 * them, most in the file's last third where the generator puts the open cases; 5,000 cases at 5 KB each would reach
 * it. The peak RSS is printed beside it but is not the rule: V8 lets a heap grow to several times what is live before
 * it collects, so a peak RSS measures the collector's slack.
 * Prints the figures, the machine's load and cores, PASS or MISS, and writes them to bench/results/ (not committed).
 * Exits 0 either way.
 *
 * Knobs: BENCH_CASES (10000), BENCH_SMALL_CASES (BENCH_CASES / 5), BENCH_DRY_CASES (200), BENCH_YEARS (5),
 * BENCH_SEED (42), BENCH_SAMPLE_MS (250), BENCH_POLL_MS (2000).
 */
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parse } from 'yaml';
import { createDataSource } from '../db/data-source';
import { DEMO_ADMIN_ID, DEMO_SOUTH_UNIT, DEMO_UNIT, demoClient, demoTokens, ensureDemoPeople, signDemoToken } from '../scripts/demo/demo-api';
import { startThrowawaySystem, type ThrowawaySystem, throwawayWorkspace } from '../scripts/stack/system';
import { type GeneratedFile, generateCaseFile, importCaseFile, uploadCases } from './case-system';
import { delay, devServerPid, intEnv, LiveHeap, load, percentile, pidsByCommandLine, procCpuMs, procRssMiB, secs, temporalCli, TRACE_GC, treeCpuMs, writeSummary } from './bench-support';

const CASES = intEnv('BENCH_CASES', 10_000);
const SMALL_CASES = intEnv('BENCH_SMALL_CASES', Math.max(1, Math.round(CASES / 5)));
const DRY_CASES = intEnv('BENCH_DRY_CASES', 200);
const YEARS = intEnv('BENCH_YEARS', 5);
const SEED = intEnv('BENCH_SEED', 42);
const SAMPLE_MS = intEnv('BENCH_SAMPLE_MS', 250);
const POLL_MS = intEnv('BENCH_POLL_MS', 2_000);
const TARGET = { cases: 10_000, ms: 5 * 60_000 };
/** Memory is flat when no heap's live size rises this much (V8's MB) over the big import (see above). */
const FLAT_MB = 24;
const ALONE = 10;
const RESULTS = resolve(__dirname, '..', '..', 'bench', 'results');

type Proc = 'api' | 'worker' | 'postgres' | 'temporal';
type Pids = Record<Proc, number | undefined>;

interface Timed { p50: number; first: number; samples: number[] }

interface ImportRun {
  label: string; unit: string; cases: number; fileMiB: number; stages: { stage: string; cases: number }[];
  status: string; imported: number; refused: number; unchanged: number; open: number; closed: number; workflowsStarted: number;
  uploadMs: number; elapsedMs: number; casesPerSecond: number;
  rssBeforeMiB: Partial<Record<'api' | 'worker', number>>; rssPeakMiB: Partial<Record<'api' | 'worker', number>>;
  /** The live heap after the latest full collection when the import started, its highest during the import, and its trend. */
  liveBeforeMB: Partial<Record<'api' | 'worker', number>>; livePeakMB: Partial<Record<'api' | 'worker', number>>;
  /** Each heap of the API and the worker: its live size at the end, and its trend over the whole import and its second half. */
  heaps: HeapTrend[];
  cpuSeconds: Partial<Record<Proc, number>>; loadBefore: number; loadAfter: number; refusals: unknown[];
}

interface Trend { riseMB: number | undefined; collections: number }
interface HeapTrend { heap: string; workflowThread: boolean; endMB: number; whole: Trend; secondHalf: Trend }

async function main(): Promise<void> {
  const wallStart = Date.now();
  console.log(`bench:import  ${SMALL_CASES.toLocaleString('en-GB')} then ${CASES.toLocaleString('en-GB')} generated cases (${YEARS} years, seed ${SEED}) through POST /api/imports; target ${TARGET.cases.toLocaleString('en-GB')} cases in under ${TARGET.ms / 60_000} min with flat memory`);
  console.log(`${load()} at start (${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version})`);
  const work = throwawayWorkspace('precharge-bench-import-');
  let system: ThrowawaySystem | undefined;
  let failure: string | undefined;
  try {
    // The files first: writing them is the generator's time, not the import's.
    const files = {
      small: await generate(join(work.dir, 'small.jsonl'), DEMO_SOUTH_UNIT, SMALL_CASES, SEED + 1),
      big: await generate(join(work.dir, 'big.jsonl'), DEMO_UNIT, CASES, SEED),
    };
    console.log(`the ${CASES.toLocaleString('en-GB')}-case file: ${files.big.summary.stages().map((s) => `${s.stage} ${s.cases}`).join(', ')}`);

    console.log('starting PostgreSQL, the Temporal dev server (SQLite, as npm start runs it), an SMTP catcher, the worker and the API …');
    let stepStart = Date.now();
    const temporalDb = join(work.dir, 'temporal.sqlite');
    system = work.adopt(await startThrowawaySystem({
      workDir: work.dir, database: 'precharge_bench', temporalCli: temporalCli(), temporalDbFile: temporalDb,
      env: { RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000' },
      onExit: (script, code) => { failure = `${script} exited (${code}); its output is in ${system?.log}`; },
      // The heap ceilings a deployment runs with (the Helm chart's), so full collections come as they would there.
      nodeFlags: (part) => [TRACE_GC, `--max-old-space-size=${chartHeapMiB()[part]}`],
    }));
    const sys = system;
    console.log(`  ready in ${secs(Date.now() - stepStart)} at ${sys.baseUrl}`);
    const heap = new LiveHeap(sys.log);
    const pids: Pids = { api: sys.api.pid, worker: sys.worker.pid, postgres: pidsByCommandLine(sys.postgresDir)[0], temporal: devServerPid(temporalDb) };

    const dataSource = await createDataSource(sys.databaseUrl, 'precharge-bench').initialize();
    const call = demoClient(sys.apiUrl, 'bench');
    const admin = await signDemoToken(sys.jwtSecret, DEMO_ADMIN_ID, ['admin'], 'headquarters');
    stepStart = Date.now();
    const ids = await ensureDemoPeople(call, admin, dataSource);
    const ds = (await demoTokens(sys.jwtSecret, ids)).ds;
    console.log(`  the demo's forces, units and people in ${secs(Date.now() - stepStart)}`);

    const selectOne = () => timed(async () => { await dataSource.query('SELECT 1'); });
    const get = (path: string, token?: string) => timed(async () => {
      const res = await fetch(`${sys.apiUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`bench: GET ${path} answered ${res.status}`);
    });
    const caseList = () => get('/cases?pageSize=25', ds);
    const before = { selectOne: await selectOne(), health: await get('/health'), caseList: await caseList() };
    console.log(`before: case list p50 ${ms(before.caseList.p50)}, SELECT 1 p50 ${ms(before.selectOne.p50)}, /api/health p50 ${ms(before.health.p50)}`);

    const dryLines = await firstLines(files.small.path, DRY_CASES);
    const dryStart = performance.now();
    const dry = await uploadCases(sys.apiUrl, admin, dryLines.join('\n'), '?dryRun=true');
    const dryRun = { cases: dryLines.length, ms: performance.now() - dryStart, imported: dry.imported as number, refused: dry.refused as number };
    console.log(`dry run of ${dryRun.cases} cases (reference): ${secs(dryRun.ms)}, ${rate(dryRun.cases, dryRun.ms)} cases/s, ${dryRun.refused} refused`);

    const rssBefore = { api: procRssMiB(pids.api), worker: procRssMiB(pids.worker) };
    const runs: ImportRun[] = [];
    for (const [label, file] of [['small', files.small], ['big', files.big]] as const) {
      if (failure) throw new Error(failure);
      runs.push(await runImport(sys.apiUrl, admin, dataSource, pids, heap, label, file));
    }
    if (failure) throw new Error(failure);

    const firstPage = await caseList();
    const after = { selectOne: await selectOne(), health: await get('/health'), caseList: firstPage };
    await delay(5_000);
    const rssAfter = { api: procRssMiB(pids.api), worker: procRssMiB(pids.worker) };
    await dataSource.destroy();
    report({ before, after, dryRun, runs, rssBefore, rssAfter, wallMs: Date.now() - wallStart });
  } finally {
    await work.stop();
  }
  console.log(`total wall time ${secs(Date.now() - wallStart)}`);
}

/** The chart's V8 heap ceilings (deploy/helm/precharge/values.yaml: api.heapMiB, worker.heapMiB). */
function chartHeapMiB(): Record<'api' | 'worker', number> {
  const values = parse(readFileSync(resolve(__dirname, '..', '..', 'deploy', 'helm', 'precharge', 'values.yaml'), 'utf8')) as Record<'api' | 'worker', { heapMiB: number }>;
  return { api: values.api.heapMiB, worker: values.worker.heapMiB };
}

async function generate(path: string, unit: string, cases: number, seed: number): Promise<GeneratedFile> {
  return generateCaseFile(path, unit, cases, { seed, years: YEARS });
}

/** The first request's time and the median of ALONE more, one at a time. */
async function timed(request: () => Promise<void>): Promise<Timed> {
  const samples: number[] = [];
  for (let i = 0; i <= ALONE; i += 1) {
    const sent = performance.now();
    await request();
    samples.push(performance.now() - sent);
  }
  const [first, ...rest] = samples;
  return { first, p50: percentile([...rest].sort((a, b) => a - b), 0.5), samples: samples.map((s) => Math.round(s * 100) / 100) };
}

async function firstLines(path: string, count: number): Promise<string[]> {
  const lines: string[] = [];
  const reader = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of reader) {
    lines.push(line);
    if (lines.length >= count) break;
  }
  reader.close();
  return lines;
}

/** One import: uploaded streamed, polled to its end, RSS sampled throughout. */
async function runImport(apiUrl: string, admin: string, dataSource: { query: (sql: string, params?: unknown[]) => Promise<{ n: number }[]> }, pids: Pids, heap: LiveHeap, label: string, file: GeneratedFile): Promise<ImportRun> {
  console.log(`importing the ${label} file: ${file.cases.toLocaleString('en-GB')} cases into ${file.unit} …`);
  const cpu = () => ({ api: procCpuMs(pids.api), worker: procCpuMs(pids.worker), postgres: treeCpuMs(pids.postgres), temporal: procCpuMs(pids.temporal) });
  const rssBeforeMiB = { api: procRssMiB(pids.api), worker: procRssMiB(pids.worker) };
  const rssPeakMiB = { ...rssBeforeMiB };
  heap.read();
  const liveBeforeMB = { api: heap.liveMB(pids.api), worker: heap.liveMB(pids.worker) };
  const livePeakMB: Partial<Record<'api' | 'worker', number>> = {};
  const sample = () => {
    heap.read();
    for (const proc of ['api', 'worker'] as const) {
      rssPeakMiB[proc] = Math.max(rssPeakMiB[proc] ?? 0, procRssMiB(pids[proc]) ?? 0);
      const live = heap.liveMB(pids[proc]);
      if (live !== undefined) livePeakMB[proc] = Math.max(livePeakMB[proc] ?? 0, live);
    }
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  const cpuBefore = cpu();
  const loadBefore = loadavg()[0];
  const started = performance.now();
  const startedAt = Date.now();
  try {
    let shown = -1;
    const { id, report, uploadMs } = await importCaseFile(apiUrl, admin, file.path, {
      pollMs: POLL_MS,
      onProgress: ({ done, total, percent }, elapsed) => {
        if (Math.floor(percent / 10) <= shown) return;
        shown = Math.floor(percent / 10);
        console.log(`  ${String(percent).padStart(3)}%  ${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} in ${secs(elapsed)}, API ${mib(procRssMiB(pids.api))}, worker ${mib(procRssMiB(pids.worker))} (${load()})`);
      },
    });
    const elapsedMs = performance.now() - started;
    sample();
    const cpuAfter = cpu();
    const [{ n: workflowsStarted }] = await dataSource.query('SELECT count(*)::int AS n FROM import_lines WHERE import_id = $1 AND workflow_started', [id]);
    const run: ImportRun = {
      label, unit: file.unit, cases: file.cases, fileMiB: file.summary.bytes / 1_048_576, stages: file.summary.stages().map(({ stage, cases }) => ({ stage, cases })),
      status: report.status as string, imported: report.imported as number, refused: report.refused as number, unchanged: report.unchanged as number,
      open: report.open as number, closed: report.closed as number, workflowsStarted, uploadMs, elapsedMs, casesPerSecond: file.cases / (elapsedMs / 1000),
      rssBeforeMiB, rssPeakMiB, liveBeforeMB, livePeakMB,
      heaps: heapTrends(heap, pids, startedAt, Date.now()),
      cpuSeconds: Object.fromEntries((['api', 'worker', 'postgres', 'temporal'] as const).map((p) => [p, cpuAfter[p] !== undefined && cpuBefore[p] !== undefined ? (cpuAfter[p]! - cpuBefore[p]!) / 1000 : undefined])),
      loadBefore, loadAfter: loadavg()[0], refusals: (report.refusals as unknown[]).slice(0, 20),
    };
    console.log(`  ${run.status} in ${secs(elapsedMs)} (upload ${secs(uploadMs)}): ${rate(file.cases, elapsedMs)} cases/s, ${run.imported} imported, ${run.refused} refused, ${workflowsStarted} workflows started`);
    return run;
  } finally {
    clearInterval(sampler);
  }
}

/** Each heap's trend over [from, to]: the API's, then the worker's main thread and its workflow thread. */
function heapTrends(heap: LiveHeap, pids: Pids, from: number, to: number): HeapTrend[] {
  const half = from + (to - from) / 2;
  return (['api', 'worker'] as const).flatMap((proc) => heap.isolates(pids[proc])
    // A main thread's isolate is allocated in the process's own heap, a worker thread's in a thread arena far above it.
    .sort((a, b) => parseInt(a.isolate, 16) - parseInt(b.isolate, 16))
    .map(({ isolate, mb: endMB }, i) => ({
      heap: `${proc === 'api' ? 'API' : 'worker'} ${i === 0 ? 'main thread' : proc === 'worker' ? 'workflow thread' : `thread ${i}`}`,
      workflowThread: proc === 'worker' && i > 0, endMB,
      whole: heap.trendMB(pids[proc], from, to, isolate), secondHalf: heap.trendMB(pids[proc], half, to, isolate),
    })));
}

function report(r: {
  before: Record<'selectOne' | 'health' | 'caseList', Timed>; after: Record<'selectOne' | 'health' | 'caseList', Timed>; dryRun: { cases: number; ms: number; refused: number };
  runs: ImportRun[]; rssBefore: Record<'api' | 'worker', number | undefined>; rssAfter: Record<'api' | 'worker', number | undefined>; wallMs: number;
}): void {
  const [small, big] = r.runs;
  const growth = (run: ImportRun, proc: 'api' | 'worker') => (run.rssPeakMiB[proc] ?? NaN) - (run.rssBeforeMiB[proc] ?? NaN);
  const perThousand = (proc: 'api' | 'worker') => ((growth(big, proc) - growth(small, proc)) / (big.cases - small.cases)) * 1000;
  // A cost per case would rise with the cases done. The span each heap is judged on: the whole import, except for the
  // workflow thread, whose cache fills during the import's first half.
  const judged = (h: HeapTrend) => (h.workflowThread ? h.secondHalf : h.whole);
  const rise = (h: HeapTrend) => judged(h).riseMB ?? NaN;
  const trend = (t: Trend) => (t.riseMB === undefined ? `? (${t.collections} full collections)` : `${signed(t.riseMB)} MB over ${t.collections}`);
  const projectedMs = (big.elapsedMs / big.cases) * TARGET.cases;
  const fast = big.status === 'done' && big.refused === 0 && projectedMs < TARGET.ms;
  const flat = big.heaps.length >= 3 && big.heaps.every((h) => rise(h) < FLAT_MB);
  // A small import (BENCH_QUICK) may end before a heap has been fully collected three times: no line to judge.
  const judgeable = big.heaps.length >= 3 && big.heaps.every((h) => judged(h).riseMB !== undefined);

  console.log('\n=== import: cases per second from the upload\'s start to the job\'s end; peak RSS sampled every', `${SAMPLE_MS} ms ===`);
  const header = ['import', 'cases', 'MiB', 'time', 'cases/s', 'imported', 'refused', 'workflows', 'API live heap before→peak', 'worker live heap', 'API RSS before→peak', 'worker RSS before→peak', 'CPU s: API', 'worker', 'PG', 'Temporal', 'load'];
  const rows = r.runs.map((run) => [
    `${run.label} (${run.unit})`, run.cases.toLocaleString('en-GB'), run.fileMiB.toFixed(1), secs(run.elapsedMs), run.casesPerSecond.toFixed(1), String(run.imported), String(run.refused), String(run.workflowsStarted),
    `${mb(run.liveBeforeMB.api)}→${mb(run.livePeakMB.api)}`, `${mb(run.liveBeforeMB.worker)}→${mb(run.livePeakMB.worker)}`,
    `${mib(run.rssBeforeMiB.api)}→${mib(run.rssPeakMiB.api)} (+${growth(run, 'api').toFixed(0)})`, `${mib(run.rssBeforeMiB.worker)}→${mib(run.rssPeakMiB.worker)} (+${growth(run, 'worker').toFixed(0)})`,
    cpu(run.cpuSeconds.api), cpu(run.cpuSeconds.worker), cpu(run.cpuSeconds.postgres), cpu(run.cpuSeconds.temporal), `${run.loadBefore.toFixed(1)}–${run.loadAfter.toFixed(1)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(`reference: a dry run of ${r.dryRun.cases} cases (the same replay, rolled back; no job, no workflows): ${rate(r.dryRun.cases, r.dryRun.ms)} cases/s`);
  console.log('live heap by heap (left after each full collection, from --trace-gc), at the end of each import; its rise by the line through the full collections over the whole import and over its second half:');
  for (const run of r.runs) {
    for (const h of run.heaps) console.log(`  ${run.label.padEnd(5)}  ${h.heap.padEnd(22)}  ${mb(h.endMB).padStart(7)}  whole ${trend(h.whole).padEnd(20)}  second half ${trend(h.secondHalf)}`);
  }
  console.log('RSS: V8 collects when a heap has grown to several times what is live, so a peak RSS is mostly garbage not yet collected');
  console.log(`RSS growth from the ${small.cases.toLocaleString('en-GB')}- to the ${big.cases.toLocaleString('en-GB')}-case import: API ${perThousand('api').toFixed(1)} MiB, worker ${perThousand('worker').toFixed(1)} MiB per 1,000 cases more`);
  console.log(`RSS before the imports → 5 s after them: API ${mib(r.rssBefore.api)} → ${mib(r.rssAfter.api)}, worker ${mib(r.rssBefore.worker)} → ${mib(r.rssAfter.worker)}`);
  const timing = (what: string, b: Timed, a: Timed) => `${what}: before p50 ${ms(b.p50)}, after p50 ${ms(a.p50)}`;
  console.log(`case list (GET /api/cases?pageSize=25 as the DS of ${DEMO_UNIT}) after the imports: first ${ms(r.after.caseList.first)}, p50 ${ms(r.after.caseList.p50)}; before them (empty unit) p50 ${ms(r.before.caseList.p50)}`);
  console.log(`references: ${timing('SELECT 1 round trip', r.before.selectOne, r.after.selectOne)}; ${timing('/api/health', r.before.health, r.after.health)}`);
  const [one, five, fifteen] = loadavg();
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} (1 / 5 / 15 min) at the end; the client, the API, the worker, PostgreSQL and Temporal share these cores`);
  console.log(`RESULT: ${fast && flat ? 'PASS' : 'MISS'} (${big.cases.toLocaleString('en-GB')} cases in ${secs(big.elapsedMs)}`
    + `${big.cases === TARGET.cases ? '' : `, ${TARGET.cases.toLocaleString('en-GB')} at that rate in ${secs(projectedMs)}`}: ${fast ? 'under' : 'not under'} ${TARGET.ms / 60_000} min; `
    + `memory ${flat ? 'flat' : judgeable ? 'not flat' : 'not judged (too few full collections at this size)'}: live heap over the ${big.cases.toLocaleString('en-GB')} cases ${big.heaps.map((h) => `${h.heap} ${trend(judged(h))}${h.workflowThread ? ' (second half)' : ''}`).join(', ')}; flat under +${FLAT_MB} MB)`);

  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `import-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({
    benchmark: 'bench:import', at: new Date().toISOString(),
    settings: { cases: CASES, smallCases: SMALL_CASES, dryCases: DRY_CASES, years: YEARS, seed: SEED, sampleMs: SAMPLE_MS, pollMs: POLL_MS, target: TARGET, flatMB: FLAT_MB },
    machine: { cores: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version },
    ...r, projectedMs, fast, flat, pass: fast && flat,
  }, null, 2));
  console.log(`figures: ${file}`);
  const settings = { cases: CASES, smallCases: SMALL_CASES, years: YEARS, seed: SEED, store: 'Temporal dev server (SQLite file), embedded PostgreSQL' };
  const dryRate = r.dryRun.cases / (r.dryRun.ms / 1000);
  console.log(`summary: ${writeSummary('import', [
    { name: `import: ${TARGET.cases.toLocaleString('en-GB')} cases (projected from ${big.cases.toLocaleString('en-GB')})`, value: Math.round(projectedMs / 1000), unit: 's', target: `< ${TARGET.ms / 1000}`, pass: fast, reference: `dry run ${dryRate.toFixed(1)} cases/s`, settings },
    { name: 'import: cases per second', value: Math.round(big.casesPerSecond * 10) / 10, unit: '/s', reference: `dry run ${dryRate.toFixed(1)} cases/s`, ratio: Math.round((big.casesPerSecond / dryRate) * 100) / 100, settings },
    ...big.heaps.map((h) => ({
      name: `import: ${h.heap} live heap's rise over ${big.cases.toLocaleString('en-GB')} cases${h.workflowThread ? ' (second half)' : ''}`, value: Math.round(rise(h) * 10) / 10, unit: 'MB', target: `< ${FLAT_MB}`,
      pass: rise(h) < FLAT_MB, reference: `live ${mb(h.endMB)} at the end; ${judged(h).collections} full collections`, settings,
    })),
    ...(['api', 'worker'] as const).map((proc) => ({
      name: `import: ${proc} peak RSS`, value: Math.round(big.rssPeakMiB[proc] ?? NaN), unit: 'MiB', reference: `${mib(small.rssPeakMiB[proc])} over the ${small.cases.toLocaleString('en-GB')}-case import`, settings,
    })),
  ])}`);
}

const rate = (cases: number, elapsedMs: number) => (cases / (elapsedMs / 1000)).toFixed(1);
const mib = (value: number | undefined) => (value === undefined ? '?' : `${Math.round(value)} MiB`);
const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;
const mb = (value: number | undefined) => (value === undefined ? '?' : `${Math.round(value)} MB`);
const cpu = (value: number | undefined) => (value === undefined ? '?' : value.toFixed(0));

function ms(value: number): string {
  return Number.isNaN(value) ? '-' : value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench:import failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
