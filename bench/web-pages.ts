/**
 * `npm run bench:web`: a benchmark, not a test. Starts a whole system of its own on loopback (embedded PostgreSQL,
 * Temporal's dev server with the SQLite store as `npm start` runs it, an SMTP catcher, the worker and the API from
 * dist/ under the default policy), registers BENCH_CASES cases in one unit through the API, gives a share of them
 * Early Advice, action plans and charging files, signs a demo person (the unit's DS) in to a web session through the
 * demo sign-in form, then measures server time at a fixed rate (open loop: requests go out on schedule whether or
 * not earlier ones have answered) for:
 *   - My work (`GET /`) for the DS, and the case page (`GET /cases/:id`, a case with an action plan, a different
 *     one each request); until that page exists, the case as the API serves it (`GET /api/cases/:id`), said so;
 *   - references measured in the same run: a static asset (`/assets/js/app.js`, the floor: Express and loopback);
 *     `/api/health` (a round trip each to PostgreSQL, Temporal and SMTP; the local SMTP catcher holds its greeting
 *     100 ms to catch clients that talk too soon, so health is never under ~100 ms here); and My work's data as the
 *     API's JSON (`/api/my-work`), which separates the queries from the page's rendering, session and CSRF work.
 * Server time is the time to last byte as this client measures it on loopback: from sending the request to having
 * read the whole body, over a kept-alive connection, so it holds the server's work and the loopback hop, no network.
 * Beside the fixed-rate figures: `alone p50`, the median of 10 requests sent one at a time just before (no queueing),
 * and each server process's CPU per request over the fixed-rate span (from /proc).
 * Target: p95 under 100 ms for My work and the case page at a busy unit's rate: the first of BENCH_RATES, 5 requests a
 * second (1,000 cases is a unit of some 60 officers and supervisors; 5 pages a second is each of them opening one every
 * 12 s). The later rates (20 a second) measure headroom: reported beside it, with no verdict. Every route runs at each
 * rate, the references too, so each ratio is within one rate. Prints one table, the machine's load and cores, and
 * writes the figures (every sample) to bench/results/ (not committed). Exits 0 either way; the verdict is printed.
 *
 * Knobs: BENCH_CASES (1000), BENCH_CONCURRENCY (registrations in flight, 10), BENCH_RATES (requests a second, "5,20"),
 * BENCH_SECONDS (per route, 30), BENCH_WARMUP_S (per route, unrecorded, 3), BENCH_HOLD (1: once seeded, print the
 * system's addresses, a signed-in cookie and a token, and keep it up until Ctrl-C instead of measuring: for profiling).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDataSource } from '../db/data-source';
import { caseSteps, DAY_MS, DEMO_ADMIN_ID, DEMO_PEOPLE, type DemoAction, demoClient, demoTokens, demoUrn, ensureDemoPeople, signDemoToken } from '../scripts/demo/demo-api';
import { startThrowawaySystem, type ThrowawaySystem, throwawayWorkspace } from '../scripts/stack/system';
import { delay, devServerPid, inLanes, intEnv, load, percentile, pidsByCommandLine, procCpuMs, secs, temporalCli, treeCpuMs, writeSummary } from './bench-support';

const CASES = intEnv('BENCH_CASES', 1000);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 10);
const RATES = (process.env.BENCH_RATES ?? '5,20').split(',').map(Number).filter((r) => r > 0);
const TARGET_RATE = RATES[0];
const SECONDS = intEnv('BENCH_SECONDS', 30);
const WARMUP_S = intEnv('BENCH_WARMUP_S', 3);
const HOLD = process.env.BENCH_HOLD === '1';
const ALONE = 10;
const TARGET_P95_MS = 100;
const SIGNED_IN = 'ds';
const RESULTS = resolve(__dirname, '..', '..', 'bench', 'results');

const PLAN: DemoAction[] = [
  { description: 'Obtain and review the download of the suspect\u2019s phone', owner: 'police', dueInMs: 10 * DAY_MS, decisionCritical: true },
  { description: 'Obtain CCTV from the venue', owner: 'police', dueInMs: 5 * DAY_MS, decisionCritical: true },
  { description: 'Take a statement from the first-account witness', owner: 'police', dueInMs: 7 * DAY_MS, decisionCritical: false },
  { description: 'Confirm the disclosure strategy', owner: 'cps', dueInMs: 14 * DAY_MS, decisionCritical: false },
];

/** What the i-th case is given beyond registration, so that every kind of row appears on the pages. */
const CONTENT = ['ea-awaiting-endorsement', 'ea-awaiting-triage', 'action-plan', 'action-plan', 'file-awaiting-gatekeeper', 'investigating', 'investigating', 'investigating', 'investigating', 'investigating'] as const;

interface Route { key: string; what: string; path: string; reference: boolean; paths?: string[]; headers: Record<string, string> }

interface CpuMark { api?: number; worker?: number; postgres?: number; temporal?: number; bench: number }

interface Measured {
  key: string; what: string; path: string; reference: boolean; rate: number; requests: number; errors: number; statuses: Record<string, number>;
  p50: number; p95: number; p99: number; max: number; meanBytes: number; lateSendMaxMs: number;
  /** Median of ALONE requests sent one at a time just before: the time without any queueing. */
  aloneP50: number;
  cpuMsPerRequest: Partial<Record<keyof CpuMark, number>>; loadBefore: number; loadAfter: number; samplesMs: number[];
}

async function main(): Promise<void> {
  const wallStart = Date.now();
  console.log(`bench:web  ${CASES} cases in one unit; My work and the case page at ${RATES.join(' and ')} req/s for ${SECONDS} s each; target p95 < ${TARGET_P95_MS} ms at ${TARGET_RATE} req/s`);
  console.log(`${load()} at start (${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version})`);
  const work = throwawayWorkspace('precharge-bench-web-');
  let system: ThrowawaySystem | undefined;
  let failure: string | undefined;

  try {
    console.log('starting PostgreSQL, the Temporal dev server (SQLite, as npm start runs it), an SMTP catcher, the worker and the API …');
    let stepStart = Date.now();
    const temporalDb = join(work.dir, 'temporal.sqlite');
    system = work.adopt(await startThrowawaySystem({
      workDir: work.dir, database: 'precharge_bench', temporalCli: temporalCli(), temporalDbFile: temporalDb,
      env: { DEMO_SIGN_IN: 'true', RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000' },
      onExit: (script, code) => { failure = `${script} exited (${code}); its output is in ${system?.log}`; },
    }));
    const sys = system;
    console.log(`  ready in ${secs(Date.now() - stepStart)} at ${sys.baseUrl}`);
    const pids = { api: sys.api.pid, worker: sys.worker.pid, postgres: pidsByCommandLine(sys.postgresDir)[0], temporal: devServerPid(temporalDb) };

    const dataSource = await createDataSource(sys.databaseUrl, 'precharge-bench').initialize();
    const call = demoClient(sys.apiUrl, 'bench');
    const admin = await signDemoToken(sys.jwtSecret, DEMO_ADMIN_ID, ['admin'], 'headquarters');
    const ids = await ensureDemoPeople(call, admin, dataSource);
    const tokens = await demoTokens(sys.jwtSecret, ids);
    const step = caseSteps(call, ids, tokens);

    console.log(`registering ${CASES} cases (reported 0–59 days ago), ${CONCURRENCY} at a time, each with its share of Early Advice, action plans and files …`);
    stepStart = Date.now();
    const planCases: string[] = [];
    let done = 0;
    const year = new Date().getUTCFullYear();
    await inLanes(CASES, CONCURRENCY, () => failure !== undefined, async (i) => {
      const officer = i % 2 ? 'officer2' : 'officer';
      const kase = await step.register(officer, i, i % 60, demoUrn(year, i));
      const content = CONTENT[i % CONTENT.length];
      if (content === 'ea-awaiting-endorsement') await step.requestAdvice(kase.id, officer);
      if (content === 'ea-awaiting-triage') await step.requestAdvice(kase.id);
      if (content === 'action-plan') {
        await step.advise(await step.acceptAdvice(await step.requestAdvice(kase.id)), PLAN);
        planCases.push(kase.id);
      }
      if (content === 'file-awaiting-gatekeeper') await step.submit(kase.id, officer);
      done += 1;
      if (done % 100 === 0) console.log(`  ${done}/${CASES} in ${secs(Date.now() - stepStart)} (${load()})`);
    });
    if (failure) throw new Error(failure);
    const seeding = { cases: done, ms: Date.now() - stepStart };
    console.log(`  ${done} cases in ${secs(seeding.ms)}: ${(done / (seeding.ms / 1000)).toFixed(1)} cases/s with their commands`);

    // Back-dated clocks fire at once (reminders, escalations, their emails): measure once the worker is quiet.
    await settle(dataSource);
    const [{ tasks }] = await dataSource.query(`SELECT count(*)::int AS tasks FROM tasks WHERE person_id = $1 AND status = 'open'`, [ids[SIGNED_IN]]);
    await dataSource.destroy();
    const myWork = (await call('GET', '/my-work', tokens[SIGNED_IN])) as { items: unknown[]; waiting: unknown[] };
    const person = DEMO_PEOPLE.find((p) => p.key === SIGNED_IN)!;
    console.log(`${person.name}'s My work shows ${myWork.items.length} reminders and escalations (of ${tasks} open) and ${myWork.waiting.length} cases waiting for them`);

    const cookie = await signIn(sys.baseUrl, ids[SIGNED_IN]);
    const casePage = await fetch(`${sys.baseUrl}/cases/${planCases[0]}`, { headers: { cookie } });
    await casePage.arrayBuffer();
    const pageExists = casePage.status === 200;
    const caseRoute: Route = pageExists
      ? { key: 'case-page', what: 'case page', path: '/cases/:id', reference: false, paths: planCases.map((id) => `/cases/${id}`), headers: { cookie } }
      : { key: 'case-api', what: 'case (API; no page yet)', path: '/api/cases/:id', reference: false, paths: planCases.map((id) => `/api/cases/${id}`), headers: { authorization: `Bearer ${tokens[SIGNED_IN]}` } };
    if (!pageExists) console.log(`GET /cases/:id answers ${casePage.status} on this build: measuring the case as the API serves it (GET /api/cases/:id, bearer token) instead`);
    if (HOLD) {
      console.log(`holding the seeded system until Ctrl-C:\n  DATABASE_URL=${sys.databaseUrl}\n  web ${sys.baseUrl}  cookie: ${cookie}\n  bearer ${tokens[SIGNED_IN]}\n  a plan case: /cases/${planCases[0]}`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      return;
    }
    const routes: Route[] = [
      { key: 'static', what: 'static asset (reference)', path: '/assets/js/app.js', reference: true, headers: { cookie } },
      { key: 'health', what: 'API health (reference)', path: '/api/health', reference: true, headers: {} },
      { key: 'my-work', what: `My work (${person.rank})`, path: '/', reference: false, headers: { cookie } },
      // The same person's My work as the API's JSON: the data without the page (templates, session, CSRF).
      { key: 'my-work-api', what: `My work data (API, ${person.rank})`, path: '/api/my-work', reference: true, headers: { authorization: `Bearer ${tokens[SIGNED_IN]}` } },
      caseRoute,
    ];

    const results: Measured[] = [];
    for (const rate of RATES) {
      for (const route of routes) {
        if (failure) throw new Error(failure);
        console.log(`${route.what}: ${route.path}, ${WARMUP_S} s warm-up then ${rate} req/s for ${SECONDS} s …`);
        await measure(sys.baseUrl, route, rate, WARMUP_S, pids);
        const alone: number[] = [];
        for (let i = 0; i < ALONE; i += 1) alone.push(await timeOne(sys.baseUrl, route, i));
        const result = { ...(await measure(sys.baseUrl, route, rate, SECONDS, pids)), aloneP50: percentile(alone.sort((a, b) => a - b), 0.5) };
        results.push(result);
        console.log(`  p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, p99 ${ms(result.p99)}, ${result.errors} errors (${load()})`);
      }
    }
    report(results, sys.log, { cases: done, planCases: planCases.length, seeding, myWork: { items: myWork.items.length, openTasks: tasks, waiting: myWork.waiting.length }, casePageExists: pageExists, wallMs: Date.now() - wallStart });
  } finally {
    await work.stop();
  }
  console.log(`total wall time ${secs(Date.now() - wallStart)}`);
}

/** Waits until the open tasks and emails stop growing for 5 s (at most 3 minutes): the clocks' first firings are done. */
async function settle(dataSource: { query: (sql: string) => Promise<{ n: number }[]> }): Promise<void> {
  const started = Date.now();
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() - started < 180_000) {
    const [{ n }] = await dataSource.query('SELECT (SELECT count(*) FROM tasks) + (SELECT count(*) FROM outbound_emails) AS n');
    if (Number(n) !== last) { last = Number(n); stableSince = Date.now(); }
    if (Date.now() - stableSince >= 5_000) break;
    await delay(500);
  }
  console.log(`worker settled in ${secs(Date.now() - started)}: ${last} tasks and emails (${load()})`);
}

/** Signs in through the demo form as a browser does: the sign-in page's CSRF token and cookie, then the form post. */
async function signIn(baseUrl: string, personId: string): Promise<string> {
  const page = await fetch(`${baseUrl}/sign-in`);
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const first = sessionCookie(page.headers);
  if (!csrf || !first) throw new Error('bench: the sign-in page gave no CSRF token or session cookie (is DEMO_SIGN_IN on?)');
  const posted = await fetch(`${baseUrl}/sign-in/demo`, {
    method: 'POST', redirect: 'manual', headers: { cookie: first, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, personId }).toString(),
  });
  await posted.arrayBuffer();
  const cookie = sessionCookie(posted.headers);
  if (posted.status !== 303 || !cookie) throw new Error(`bench: demo sign-in answered ${posted.status}`);
  const home = await fetch(`${baseUrl}/`, { headers: { cookie } });
  if (home.status !== 200 || !(await home.text()).includes('My work')) throw new Error(`bench: My work answered ${home.status} after signing in`);
  return cookie;
}

function sessionCookie(headers: Headers): string | undefined {
  return headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('precharge.sid='));
}

/**
 * `seconds` × `rate` requests sent on a fixed schedule (open loop), each timed from sending to the last byte read.
 * CPU per request of each server process comes from /proc over the same span.
 */
/** One request on its own, from sending to the last byte read. */
async function timeOne(baseUrl: string, route: Route, i: number): Promise<number> {
  const sent = performance.now();
  const res = await fetch(`${baseUrl}${route.paths ? route.paths[i % route.paths.length] : route.path}`, { headers: route.headers, redirect: 'manual' });
  await res.arrayBuffer();
  return performance.now() - sent;
}

async function measure(baseUrl: string, route: Route, rate: number, seconds: number, pids: Record<'api' | 'worker' | 'postgres' | 'temporal', number | undefined>): Promise<Omit<Measured, 'aloneP50'>> {
  const total = Math.max(1, Math.round(seconds * rate));
  const interval = 1000 / rate;
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let bytes = 0;
  let lateSendMaxMs = 0;
  const mark = (): CpuMark => {
    const own = process.cpuUsage();
    return { api: procCpuMs(pids.api), worker: procCpuMs(pids.worker), postgres: treeCpuMs(pids.postgres), temporal: procCpuMs(pids.temporal), bench: (own.user + own.system) / 1000 };
  };
  const loadBefore = loadavg()[0];
  const before = mark();
  const one = async (i: number) => {
    const path = route.paths ? route.paths[i % route.paths.length] : route.path;
    const sent = performance.now();
    try {
      const res = await fetch(`${baseUrl}${path}`, { headers: route.headers, redirect: 'manual' });
      const body = await res.arrayBuffer();
      samples.push(performance.now() - sent);
      bytes += body.byteLength;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status !== 200) errors += 1;
    } catch (err) {
      errors += 1;
      statuses[(err as Error).name] = (statuses[(err as Error).name] ?? 0) + 1;
    }
  };
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  const offset = Math.floor(Math.random() * 1000);
  for (let i = 0; i < total; i += 1) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await delay(wait);
    lateSendMaxMs = Math.max(lateSendMaxMs, performance.now() - due);
    inFlight.push(one(offset + i));
  }
  await Promise.all(inFlight);
  const after = mark();
  const perRequest = (k: keyof CpuMark) => (before[k] !== undefined && after[k] !== undefined ? (after[k]! - before[k]!) / total : undefined);
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    key: route.key, what: route.what, path: route.path, reference: route.reference, rate, requests: total, errors, statuses,
    p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? NaN,
    meanBytes: Math.round(bytes / Math.max(samples.length, 1)), lateSendMaxMs,
    cpuMsPerRequest: Object.fromEntries((['api', 'postgres', 'temporal', 'worker', 'bench'] as const).map((k) => [k, perRequest(k)])),
    loadBefore, loadAfter: loadavg()[0], samplesMs: samples.map((s) => Math.round(s * 100) / 100),
  };
}

function report(results: Measured[], systemLog: string, context: Record<string, unknown>): void {
  const reference = (r: Measured, key: string) => results.find((x) => x.key === key && x.rate === r.rate)?.p95;
  const header = ['route', 'path', 'rate/s', 'alone p50', 'requests', 'errors', 'p50', 'p95', 'p99', 'max', 'p95 ÷ static', 'p95 ÷ health', 'bytes', 'CPU ms/req: API', 'worker', 'PG', 'Temporal', `target p95<${TARGET_P95_MS}ms`];
  const table = results.map((r) => [
    r.what, r.path, String(r.rate), ms(r.aloneP50), String(r.requests), String(r.errors), ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max),
    ratio(r.p95, reference(r, 'static')), ratio(r.p95, reference(r, 'health')), String(r.meanBytes),
    cpu(r.cpuMsPerRequest.api), cpu(r.cpuMsPerRequest.worker), cpu(r.cpuMsPerRequest.postgres), cpu(r.cpuMsPerRequest.temporal),
    r.reference ? '(reference)' : r.rate !== TARGET_RATE ? '(headroom)' : r.errors === 0 && r.p95 < TARGET_P95_MS ? 'PASS' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(`\n=== server time: time to last byte measured by the client on loopback (send to whole body read, kept-alive connection), ${SECONDS} s per route and rate ===`);
  console.log(line(header));
  for (const row of table) console.log(line(row));
  const [one, five, fifteen] = loadavg();
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} (1 / 5 / 15 min) at the end; `
    + `the client, the API, the worker, PostgreSQL and Temporal share these cores`);
  const late = Math.max(...results.map((r) => r.lateSendMaxMs));
  if (late > 20) console.log(`note: the client sent some requests up to ${ms(late)} after their scheduled time (its own event loop was busy)`);
  const targets = results.filter((r) => !r.reference && r.rate === TARGET_RATE);
  const pass = targets.every((r) => r.errors === 0 && r.p95 < TARGET_P95_MS);
  console.log(`RESULT at ${TARGET_RATE} req/s: ${pass ? 'PASS' : 'MISS'} (${targets.map((r) => `${r.what} p95 ${ms(r.p95)}`).join(', ')})`);
  const headroom = results.filter((r) => !r.reference && r.rate !== TARGET_RATE);
  if (headroom.length) console.log(`headroom (no verdict): ${headroom.map((r) => `${r.what} at ${r.rate} req/s p95 ${ms(r.p95)}`).join(', ')}`);

  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `web-pages-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({
    benchmark: 'bench:web', at: new Date().toISOString(), serverTime: 'time to last byte measured by the client on loopback',
    settings: { cases: CASES, concurrency: CONCURRENCY, rates: RATES, targetRate: TARGET_RATE, seconds: SECONDS, warmupSeconds: WARMUP_S, targetP95Ms: TARGET_P95_MS, signedIn: SIGNED_IN },
    machine: { cores: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version },
    context, results, pass,
  }, null, 2));
  console.log(`figures and every sample: ${file}`);
  const settings = { cases: CASES, seconds: SECONDS, signedIn: SIGNED_IN, store: 'Temporal dev server (SQLite file), embedded PostgreSQL' };
  console.log(`summary: ${writeSummary('web', results.filter((r) => !r.reference).map((r) => {
    const health = reference(r, 'health');
    const target = r.rate === TARGET_RATE;
    return {
      name: `${r.what} p95 at ${r.rate}/s`, value: Math.round(r.p95), unit: 'ms', ...(target ? { target: `< ${TARGET_P95_MS}`, pass: r.errors === 0 && r.p95 < TARGET_P95_MS } : {}),
      reference: health === undefined ? undefined : `API health p95 ${Math.round(health)} ms`, ratio: health ? Math.round((r.p95 / health) * 100) / 100 : undefined, settings: { ...settings, rate: r.rate },
    };
  }))}`);
  if (results.some((r) => r.errors)) {
    copyFileSync(systemLog, file.replace(/\.json$/, '.log'));
    console.log(`some requests failed: the worker's and the API's output is in ${file.replace(/\.json$/, '.log')}`);
  }
}

function ms(value: number): string {
  return Number.isNaN(value) ? '-' : value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

function ratio(value: number, reference: number | undefined): string {
  return reference ? `${(value / reference).toFixed(value < reference ? 2 : 1)}×` : '-';
}

function cpu(value: number | undefined): string {
  return value === undefined ? '?' : value.toFixed(1);
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench:web failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
