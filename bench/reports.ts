/**
 * `npm run bench:reports`: a benchmark, not a test. Generates BENCH_CASES synthetic cases (100,000) reported over the
 * five years to today with the case generator (scripts/generate-cases.ts, BENCH_UNITS units of one force, each its own
 * seed), and loads them straight into an embedded PostgreSQL's tables with batched inserts (bench/reports-loader.ts, a
 * loader for the benchmark only: importing 100,000 cases through the import's workflow runs at some ten cases a second).
 * Then, after two unrecorded warm-ups, it times BENCH_REPEATS of each, interleaved:
 *   - the monthly pack's query (ReportFigures, the figures for the last complete month with its 13-month trend) for the
 *     force, and for one unit; the quarterly report's for the force: with nothing kept, with the period just ended
 *     computed when asked, with it kept by the report schedule's morning run (keepReportFigures), and asked again;
 *   - the case list's first page and its 500th (`GET /api/cases` as a unit's DS: CasesService.list, 25 a page);
 *   - the repeat-suspect check on registration (recomputeRepeatSuspectFlags for a new case naming a suspect with two
 *     earlier NFA cases, in a transaction rolled back each time);
 *   - as a reference measured beside them, a `SELECT 1` round trip.
 * Each query's plan is checked with EXPLAIN (ANALYZE, BUFFERS): the indexes it uses, and any sequential scan of a large
 * table that throws most of the table away (what an index would have saved), printed beside its times with the
 * machine's load. Targets: the monthly pack under 500 ms, the quarterly report under 1 s, a list page under 50 ms, the
 * repeat-suspect check under 20 ms (p95). Writes the figures to bench/results/ (not committed). Exits 0 either way.
 *
 * Knobs: BENCH_CASES (100000), BENCH_UNITS (4), BENCH_YEARS (5), BENCH_SEED (42), BENCH_REPEATS (10), BENCH_COLD_REPEATS (3), BENCH_WARMUP (2),
 * BENCH_BATCH (cases per insert, 1000), BENCH_PLANS (1: print each query's full plan as text).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { DataSource, type Logger } from 'typeorm';
import { recomputeRepeatSuspectFlags } from '../activities/flags/repeat-suspect';
import type { Principal } from '../api/auth/principal';
import { CasesService } from '../api/cases/cases.service';
import type { ListCasesQuery } from '../api/cases/dto/list-cases.query';
import { lastCompletePeriod, trendPeriods } from '../api/reports/periods';
import type { ReportPeriod } from '../api/reports/report';
import { ReportFigures } from '../api/reports/report-figures';
import { reportFiguresPort } from '../api/reports/report-figures.port';
import { createDataSource } from '../db/data-source';
import { loadPolicy, RegionPolicies } from '../policy/load-policy';
import { generateCases } from '../scripts/generate-cases';
import { startEmbeddedPostgres } from '../scripts/stack/embedded-postgres';
import { freePort } from '../scripts/stack/ports';
import { intEnv, load, percentile, secs, writeSummary } from './bench-support';
import { type BenchPerson, BenchLoader } from './reports-loader';

const CASES = intEnv('BENCH_CASES', 100_000);
const UNITS = intEnv('BENCH_UNITS', 4);
const YEARS = intEnv('BENCH_YEARS', 5);
const SEED = intEnv('BENCH_SEED', 42);
const REPEATS = intEnv('BENCH_REPEATS', 10);
const WARMUP = intEnv('BENCH_WARMUP', 2);
const BATCH = intEnv('BENCH_BATCH', 1000);
/** Repeats of the reports computed with nothing kept (each a whole trend): fewer, they take longest. */
const COLD_REPEATS = Math.min(REPEATS, intEnv('BENCH_COLD_REPEATS', 3));
const OFFICERS = 12;
const FORCE = { id: 'bench-reports-force', code: '92', name: 'Bench Constabulary' };
const AREA = { id: 'bench-reports-area', name: 'Bench CPS area' };
const RESULTS = resolve(__dirname, '..', '..', 'bench', 'results');
/** Tables big enough that reading one whole to keep a little of it is worth an index. */
const BIG = 10_000;

interface Measure {
  key: string;
  label: string;
  targetMs?: number;
  /** How many of the repeats it takes part in (all unless said). */
  repeats?: number;
  /** Untimed, before each run: what the cache holds (see ReportFigures). */
  prepare?: () => Promise<unknown>;
  run: () => Promise<unknown>;
  /** The statements it sends, for EXPLAIN. */
  statements: () => Promise<{ sql: string; params: unknown[] }[]>;
}

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Actual Rows'?: number; 'Actual Loops'?: number; 'Rows Removed by Filter'?: number; Plans?: PlanNode[] }

interface PlanCheck { indexes: string[]; seqScans: { table: string; kept: number; read: number }[]; wasteful: string[]; ms: number; text: string }

/** Collects the SQL TypeORM sends (the case list's query builder), for EXPLAIN. */
class Capture implements Logger {
  statements: { sql: string; params: unknown[] }[] = [];
  logQuery(query: string, parameters?: unknown[]) { this.statements.push({ sql: query, params: parameters ?? [] }); }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

function walk(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
}

async function checkPlan(db: DataSource, sizes: Map<string, number>, statements: { sql: string; params: unknown[] }[]): Promise<PlanCheck> {
  const check: PlanCheck = { indexes: [], seqScans: [], wasteful: [], ms: 0, text: '' };
  for (const s of statements) {
    if (!/^\s*(WITH|SELECT|INSERT|DELETE|UPDATE)/i.test(s.sql) || /pg_advisory_xact_lock/.test(s.sql)) continue;
    const [row] = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${s.sql}`, s.params)) as { 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }[];
    const plan = row['QUERY PLAN'][0];
    check.ms += plan['Execution Time'];
    for (const node of walk(plan.Plan)) {
      if (node['Index Name']) check.indexes.push(node['Index Name']);
      if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) {
        const loops = node['Actual Loops'] ?? 1;
        const kept = (node['Actual Rows'] ?? 0) * loops;
        const read = kept + (node['Rows Removed by Filter'] ?? 0) * loops;
        check.seqScans.push({ table: node['Relation Name'], kept, read });
        const size = sizes.get(node['Relation Name']) ?? 0;
        if (size >= BIG && kept < read / 2) check.wasteful.push(`${node['Relation Name']} (kept ${kept} of ${read} read)`);
      }
    }
    if (process.env.BENCH_PLANS === '1') {
      const text = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params)) as { 'QUERY PLAN': string }[];
      check.text += `${text.map((r) => r['QUERY PLAN']).join('\n')}\n`;
    }
  }
  check.indexes = [...new Set(check.indexes)].sort();
  return check;
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ms`;

async function main(): Promise<void> {
  const wallStart = Date.now();
  const perUnit = Math.ceil(CASES / UNITS);
  console.log(`bench:reports  ${(perUnit * UNITS).toLocaleString('en-GB')} generated cases over ${YEARS} years in ${UNITS} units of one force; the monthly pack, the quarterly report, the case list and the repeat-suspect check`);
  console.log(`${load()} at start (${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version})`);
  // BENCH_KEEP=<dir>: keep the database there, and measure a database already loaded there without loading it again.
  const keep = process.env.BENCH_KEEP;
  const pg = await startEmbeddedPostgres({ dataDir: keep ?? mkdtempSync(join(tmpdir(), 'precharge-bench-reports-pg-')), port: await freePort(), database: 'precharge_bench', persistent: !!keep });
  const db = await createDataSource(pg.url, 'precharge-bench').initialize();
  const capture = new Capture();
  const captured = new DataSource({ ...db.options, logging: ['query'], logger: capture } as typeof db.options);
  try {
    await db.runMigrations({ transaction: 'each' });
    await captured.initialize();
    const policy = loadPolicy();

    const [{ loadedBefore }] = (await db.query('SELECT count(*)::int AS "loadedBefore" FROM cases')) as { loadedBefore: number }[];
    const units = loadedBefore ? await loadedUnits(db) : await loadCases(db, policy, perUnit);
    if (loadedBefore) console.log(`measuring the ${loadedBefore.toLocaleString('en-GB')} cases already loaded in ${keep}`);
    const sizes = new Map(((await db.query(`SELECT relname, n_live_tup::int AS n FROM pg_stat_user_tables`)) as { relname: string; n: number }[]).map((r) => [r.relname, r.n]));

    // What is measured.
    const figures = new ReportFigures(db, policy);
    const force = await figures.resolveScope({ level: 'force', id: FORCE.id });
    const oneUnit = await figures.resolveScope({ level: 'unit', id: units[0].id });
    const now = new Date();
    const month = lastCompletePeriod('monthly', now);
    const quarter = lastCompletePeriod('quarterly', now);
    const reportStatement = (periods: ReportPeriod[], scope: typeof force) => async () => [figures.statement(scope, periods, now)];
    // Nothing kept of the kind measured (the other kind's kept periods stay: forgetting them too made the next
    // "period just ended" measure of that kind recompute its whole trend).
    const forgetAll = (kind: ReportPeriod['kind']) => () => db.query('DELETE FROM report_unit_periods WHERE kind = $1', [kind]);
    const forget = (p: ReportPeriod) => () => db.query('DELETE FROM report_unit_periods WHERE kind = $1 AND period_id = $2', [p.kind, p.id]);
    // The period forgotten, then kept again as the report schedule's morning run does (keepReportFigures): what the
    // first person to open the pack after the period ended meets.
    const port = reportFiguresPort(figures);
    const keptByMorningRun = (p: ReportPeriod) => async () => {
      await forget(p)();
      await port.keep(p.kind, now);
    };
    const ds: Principal = { id: units[0].ds, roles: ['supervisor'], unit: units[0].id, forceId: FORCE.id, areaId: null, servedUnits: [] };
    const cases = new CasesService(db, undefined as never, new RegionPolicies(policy), undefined as never, undefined as never, undefined as never);
    const capturedCases = new CasesService(captured, undefined as never, new RegionPolicies(policy), undefined as never, undefined as never, undefined as never);
    const page = (n: number) => ({ page: n, pageSize: 25 }) as ListCasesQuery;
    const listStatements = (n: number) => async () => {
      capture.statements = [];
      await capturedCases.list(ds, page(n));
      return capture.statements;
    };

    // A suspect of two earlier NFA'd penetrative cases (in five years), named again in a case registered now.
    const [repeat] = (await db.query(`
      SELECT s.name, s.date_of_birth::text AS dob FROM case_parties s JOIN cases c ON c.id = s.case_id
      WHERE s.kind = 'suspect' AND c.penetrative AND c.outcome_code IS NOT NULL AND c.outcome_code <> 1 AND c.reported_at > now() - interval '4 years'
      GROUP BY s.name, s.date_of_birth HAVING count(*) >= 2 LIMIT 1`)) as { name: string; dob: string }[];
    if (!repeat) throw new Error('the generated cases hold no suspect with two NFA cases');
    const registerAndCheck = async (record?: { sql: string; params: unknown[] }[]) => {
      let elapsed = 0;
      const runner = db.createQueryRunner();
      await runner.startTransaction();
      try {
        const id = randomUUID();
        await runner.query(
          `INSERT INTO cases (id, urn, stage, unit, force_id, officer_id, offence_type, penetrative, committed_from, reported_at, enhanced_rights, suspect_count, policy_version, workflow_id, last_event_seq)
           VALUES ($1, $2, 'investigating', $3, $4, $5, 'rape', true, current_date, now(), false, 1, $6, $7, 1)`,
          [id, `${FORCE.code}BX${String(Math.floor(Math.random() * 99_999)).padStart(5, '0')}99`, units[0].id, FORCE.id, units[0].ds, policy.version, `case-${id}`]);
        await runner.query(`INSERT INTO case_parties (id, case_id, kind, name, date_of_birth) VALUES ($1, $2, 'suspect', $3, $4)`, [randomUUID(), id, repeat.name.toUpperCase(), repeat.dob]);
        const sql = record ? { query: async (q: string, p?: unknown[]) => { record.push({ sql: q, params: p ?? [] }); return runner.query(q, p); } } : runner;
        const start = performance.now();
        await recomputeRepeatSuspectFlags(sql, id);
        elapsed = performance.now() - start;
        const [{ flagged }] = (await runner.query(`SELECT count(*)::int AS flagged FROM case_flags WHERE case_id = $1`, [id])) as { flagged: number }[];
        if (!flagged) throw new Error('the repeat-suspect check flagged nothing: the benchmark\'s suspect is not a repeat suspect');
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      return elapsed;
    };

    const measures: Measure[] = [
      // The monthly pack for the last complete month with its 13-month trend: nothing cached (the first report ever
      // asked for), its 12 earlier months cached (the first after the month ended: what the scheduled email meets), and
      // all cached (asked again).
      { key: 'monthly-force-cold', label: `monthly pack, force (${month.id}), nothing cached`, targetMs: 500, repeats: COLD_REPEATS, prepare: forgetAll('monthly'), run: () => figures.report(month, force, { now }), statements: reportStatement(trendPeriods(month), force) },
      { key: 'monthly-force', label: `monthly pack, force (${month.id}), month just ended, computed when asked`, targetMs: 500, prepare: forget(month), run: () => figures.report(month, force, { now }), statements: reportStatement([month], force) },
      { key: 'monthly-force-kept', label: `monthly pack, force (${month.id}), month just ended, kept by the morning run`, targetMs: 500, prepare: keptByMorningRun(month), run: () => figures.report(month, force, { now }), statements: async () => [] },
      { key: 'monthly-force-warm', label: `monthly pack, force (${month.id}), asked again`, targetMs: 500, run: () => figures.report(month, force, { now }), statements: async () => [] },
      { key: 'monthly-unit', label: `monthly pack, one unit (${month.id}), month just ended, computed when asked`, targetMs: 500, prepare: forget(month), run: () => figures.report(month, oneUnit, { now }), statements: reportStatement([month], oneUnit) },
      { key: 'quarterly-force-cold', label: `quarterly report, force (${quarter.id}), nothing cached`, targetMs: 1000, repeats: COLD_REPEATS, prepare: forgetAll('quarterly'), run: () => figures.report(quarter, force, { now }), statements: reportStatement(trendPeriods(quarter), force) },
      { key: 'quarterly-force', label: `quarterly report, force (${quarter.id}), quarter just ended, computed when asked`, targetMs: 1000, prepare: forget(quarter), run: () => figures.report(quarter, force, { now }), statements: reportStatement([quarter], force) },
      { key: 'quarterly-force-kept', label: `quarterly report, force (${quarter.id}), quarter just ended, kept by the morning run`, targetMs: 1000, prepare: keptByMorningRun(quarter), run: () => figures.report(quarter, force, { now }), statements: async () => [] },
      { key: 'list-first', label: 'case list, first page (a unit\'s DS)', targetMs: 50, run: () => cases.list(ds, page(1)), statements: listStatements(1) },
      { key: 'list-500', label: 'case list, 500th page', targetMs: 50, run: () => cases.list(ds, page(500)), statements: listStatements(500) },
      { key: 'repeat-suspect', label: 'repeat-suspect check on registration', targetMs: 20, run: () => registerAndCheck(), statements: async () => { const r: { sql: string; params: unknown[] }[] = []; await registerAndCheck(r); return r; } },
      { key: 'select-1', label: 'reference: SELECT 1 round trip', run: () => db.query('SELECT 1'), statements: async () => [] },
    ];
    const samples = new Map<string, number[]>(measures.map((m) => [m.key, []]));
    const loads: number[] = [];
    const measuring = Date.now();
    for (let run = 0; run < WARMUP + REPEATS; run += 1) {
      for (const m of measures) {
        if (run >= WARMUP + (m.repeats ?? REPEATS)) continue;
        await m.prepare?.();
        const start = performance.now();
        const inner = await m.run();
        // The repeat-suspect check answers its own time: the case written before it is not part of it.
        const elapsed = m.key === 'repeat-suspect' ? (inner as number) : performance.now() - start;
        if (run >= WARMUP) samples.get(m.key)!.push(elapsed);
      }
      loads.push(loadavg()[0]);
    }
    console.log(`\n${REPEATS} repeats of each, interleaved (after ${WARMUP} unrecorded) in ${secs(Date.now() - measuring)}; load ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} during them on ${cpus().length} cores`);

    const report = await figures.report(month, force, { now });
    const results: Record<string, unknown> = {};
    let misses = 0;
    const roundTrip = percentile([...samples.get('select-1')!].sort((a, b) => a - b), 0.5);
    for (const m of measures) {
      const sorted = [...samples.get(m.key)!].sort((a, b) => a - b);
      const p50 = percentile(sorted, 0.5);
      const p95 = percentile(sorted, 0.95);
      const plan = await checkPlan(db, sizes, await m.statements());
      const verdict = m.targetMs === undefined ? '' : p95 < m.targetMs ? `PASS (< ${ms(m.targetMs)})` : `MISS (target ${ms(m.targetMs)})`;
      if (m.targetMs !== undefined && p95 >= m.targetMs) misses += 1;
      console.log(`${m.label.padEnd(52)} p50 ${ms(p50).padStart(9)}  p95 ${ms(p95).padStart(9)}  max ${ms(sorted.at(-1)!).padStart(9)}  ${(p50 / roundTrip).toFixed(0).padStart(5)}× round trip  ${verdict}`);
      if (m.key !== 'select-1') {
        console.log(`  plan: ${plan.indexes.length ? `indexes ${plan.indexes.join(', ')}` : 'no index'}; ${plan.seqScans.length ? `sequential scans ${[...new Set(plan.seqScans.map((s) => s.table))].join(', ')}` : 'no sequential scan'}; ${plan.wasteful.length ? `WASTEFUL sequential scans: ${plan.wasteful.join('; ')}` : 'no wasteful sequential scan of a large table'} (EXPLAIN ANALYZE ${ms(plan.ms)})`);
        if (plan.text) console.log(plan.text);
      }
      results[m.key] = { label: m.label, targetMs: m.targetMs, p50, p95, max: sorted.at(-1), samples: sorted, indexes: plan.indexes, seqScans: plan.seqScans, wasteful: plan.wasteful };
    }
    const c = report.total.current;
    console.log(`\nthe force's ${month.id}: ${c.newCases} new cases, ${c.earlyAdvice.requested} EA requests (median turnaround ${c.earlyAdvice.turnaround.median} days, ${c.earlyAdvice.turnaround.within21DaysPct}% within 21), decisions ${JSON.stringify(c.decisions)}, charge rate ${c.chargeRate}%, actions overdue ${c.actionsOverdue.total} ${JSON.stringify(c.actionsOverdue.byBand)}, report to charge median ${c.reportToCharge.median} days`);
    console.log(`${misses ? `${misses} MISS` : 'every target PASS'}; ${load()} at the end; total ${secs(Date.now() - wallStart)}`);
    mkdirSync(RESULTS, { recursive: true });
    const file = join(RESULTS, `reports-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ tables: Object.fromEntries(sizes), units: UNITS, years: YEARS, seed: SEED, repeats: REPEATS, loads, cores: cpus().length, results, month: month.id, quarter: quarter.id }, null, 2));
    console.log(`figures written to ${file}`);
    console.log(`summary: ${writeSummary('reports', measures.filter((m) => m.key !== 'select-1').map((m) => {
      const { p95 } = results[m.key] as { p95: number };
      return {
        name: m.label, value: Math.round(p95 * 10) / 10, unit: 'ms (p95)', ...(m.targetMs === undefined ? {} : { target: `< ${m.targetMs}`, pass: p95 < m.targetMs }),
        reference: `SELECT 1 p50 ${roundTrip.toFixed(2)} ms`, ratio: Math.round(p95 / roundTrip), settings: { cases: CASES, units: UNITS, years: YEARS, repeats: REPEATS, store: 'embedded PostgreSQL' },
      };
    }))}`);
  } finally {
    if (captured.isInitialized) await captured.destroy();
    await db.destroy();
    await pg.stop();
  }
}

type BenchUnit = { id: string; ds: string; people: Parameters<typeof generateCases>[0]['people'] };

/** The units (and their DS) of a database loaded by an earlier run (BENCH_KEEP). */
async function loadedUnits(db: DataSource): Promise<BenchUnit[]> {
  const rows = (await db.query(`SELECT u.id, p.id AS ds FROM units u JOIN people p ON p.unit = u.id AND p.rank = 'DS' WHERE u.force_id = $1 ORDER BY u.id`, [FORCE.id])) as { id: string; ds: string }[];
  return rows.map((r) => ({ ...r, people: { officers: [], ds: '', di: '', dcp: '', prosecutor: '' } }));
}

/** The organisation and the generated cases, loaded straight into the tables by the benchmark's own loader. */
async function loadCases(db: DataSource, policy: ReturnType<typeof loadPolicy>, perUnit: number): Promise<BenchUnit[]> {
    // The organisation: one force of UNITS units, a CPS team serving them all; each unit its officers and supervisors.
    await db.query(`INSERT INTO forces (id, code, name) VALUES ($1, $2, $3)`, [FORCE.id, FORCE.code, FORCE.name]);
    await db.query(`INSERT INTO cps_areas (id, name) VALUES ($1, $2)`, [AREA.id, AREA.name]);
    await db.query(`INSERT INTO units (id, name, organisation, area_id) VALUES ('bench-cps-team', 'Bench CPS team', 'cps', $1)`, [AREA.id]);
    const people = new Map<string, BenchPerson>();
    const addPerson = async (email: string, name: string, rank: string, role: BenchPerson['role'], unit: string, organisation = 'police') => {
      const id = randomUUID();
      await db.query(
        `INSERT INTO people (id, name, email, roles, organisation, rank, unit, force_id, area_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, name, email, [role], organisation, rank, unit, organisation === 'police' ? FORCE.id : null, organisation === 'cps' ? AREA.id : null],
      );
      people.set(email, { id, role, supervisor: role === 'supervisor' });
      return id;
    };
    const dcp = 'dcp@bench.example.invalid';
    const prosecutor = 'prosecutor@bench.example.invalid';
    await addPerson(dcp, 'Bench DCP', 'DCP', 'cps', 'bench-cps-team', 'cps');
    await addPerson(prosecutor, 'Bench Prosecutor', 'Prosecutor', 'cps', 'bench-cps-team', 'cps');
    const units: BenchUnit[] = [];
    for (let u = 1; u <= UNITS; u += 1) {
      const unit = `bench-rasso-${u}`;
      await db.query(`INSERT INTO units (id, name, organisation, force_id) VALUES ($1, $2, 'police', $3)`, [unit, `Bench RASSO unit ${u}`, FORCE.id]);
      await db.query(`INSERT INTO unit_services (police_unit_id, cps_unit_id) VALUES ($1, 'bench-cps-team')`, [unit]);
      const email = (who: string) => `${who}.${u}@bench.example.invalid`;
      const officers = Array.from({ length: OFFICERS }, (_, i) => email(`dc${i}`));
      for (const [i, o] of officers.entries()) await addPerson(o, `Bench DC ${u}-${i}`, 'DC', 'officer', unit);
      const ds = await addPerson(email('ds'), `Bench DS ${u}`, 'DS', 'supervisor', unit);
      await addPerson(email('di'), `Bench DI ${u}`, 'DI', 'supervisor', unit);
      await addPerson(email('supt'), `Bench Supt ${u}`, 'Superintendent', 'supervisor', unit);
      units.push({ id: unit, ds, people: { officers, ds: email('ds'), di: email('di'), superintendent: email('supt'), dcp, prosecutor } });
    }

    // Generate and load: the generator's lines, mapped to rows, BATCH cases an insert.
    const loader = new BenchLoader(db, { forceId: FORCE.id, policyVersion: policy.version, people, timezone: policy.timezone });
    const today = new Date();
    const until = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    let generating = 0;
    let inserting = 0;
    let loaded = 0;
    const started = Date.now();
    for (const [u, unit] of units.entries()) {
      const cases = generateCases({ cases: perUnit, years: YEARS, seed: SEED + u, until, unit: unit.id, forceCode: FORCE.code, people: unit.people });
      for (;;) {
        let t = performance.now();
        const next = cases.next();
        if (!next.done) loader.add(next.value, 'HJKLMNPRSTVWXYZ'[u % 15]);
        generating += performance.now() - t;
        if (loader.pending >= BATCH || (next.done && loader.pending)) {
          t = performance.now();
          await loader.flush();
          inserting += performance.now() - t;
          loaded += BATCH;
          if (loaded % (BATCH * 10) === 0) console.log(`  loaded ${loader.counts.cases.toLocaleString('en-GB')} cases in ${secs(Date.now() - started)} (${load()})`);
        }
        if (next.done) break;
      }
    }
    const t = performance.now();
    await db.query('VACUUM ANALYZE');
    const analyse = performance.now() - t;
    console.log(`loaded straight into the tables (the benchmark's loader, not the import): ${Object.entries(loader.counts).map(([k, v]) => `${k} ${v.toLocaleString('en-GB')}`).join(', ')}`);
    console.log(`  in ${secs(Date.now() - started)}: generating and mapping ${secs(generating)}, inserting ${secs(inserting)}, VACUUM ANALYZE ${secs(analyse)} (${load()})`);
  return units;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
