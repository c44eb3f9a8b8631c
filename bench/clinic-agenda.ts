/**
 * `npm run bench:agenda`: a benchmark, not a test. Seeds one unit with BENCH_CASES open cases (5,000), and beside it
 * finished cases of the same unit and the open cases of BENCH_OTHER_UNITS other units, straight into an embedded
 * PostgreSQL in the shapes the projections have (test/support/agenda-seed.ts: cases, their items, clocks, timeline
 * and referrals, each case with months of history), a share of them carrying each agenda reason. Then it times the
 * real agenda builder, the `buildClinicAgenda` activity a clinic's workflow runs (the agenda's SQL, then recording
 * each entry and the referrals it takes up), on a fresh sitting each repeat, and the agenda's query alone. In the
 * same run, on the same data, interleaved with each repeat, two references: a bare `SELECT 1` round trip, and a plain
 * count of the unit's open cases joined to their running clocks. Prints p50/p95/max, the entries per reason, the
 * ratios to the references and the machine's load. Target: the agenda of a unit with 5,000 open cases in under 2 s
 * (the builder's p95). Exits 0 either way; the verdict is printed.
 *
 * Knobs: BENCH_CASES (5000), BENCH_OTHER_UNITS (3, of BENCH_OTHER_CASES 2,500 open cases each), BENCH_FINISHED (1500,
 * charged or NFA'd cases of the unit), BENCH_REPEATS (10), BENCH_WARMUP (2), BENCH_CONCURRENCY (seeding lanes, 8),
 * BENCH_EXPLAIN (1: print the agenda query's EXPLAIN ANALYZE after the repeats).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { clinicActivities } from '../activities/clinics';
import { agendaFor } from '../activities/clinics/agenda';
import { createDataSource } from '../db/data-source';
import { createLogger } from '../infra/logger';
import { loadPolicy } from '../policy/load-policy';
import { startEmbeddedPostgres } from '../scripts/stack/embedded-postgres';
import { freePort } from '../scripts/stack/ports';
import { type SeededFacts, seedCaseProjection } from '../test/support/agenda-seed';
import { clinicWorkflowId } from '../workflows/contracts/clinics';
import type { AgendaReasonCode } from '../workflows/contracts/policy';
import { inLanes, intEnv, load, percentile, secs, writeSummary } from './bench-support';

const CASES = intEnv('BENCH_CASES', 5000);
const OTHER_UNITS = intEnv('BENCH_OTHER_UNITS', 3);
const OTHER_CASES = intEnv('BENCH_OTHER_CASES', 2500);
const FINISHED = intEnv('BENCH_FINISHED', 1500);
const REPEATS = intEnv('BENCH_REPEATS', 10);
const WARMUP = intEnv('BENCH_WARMUP', 2);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 8);
const OFFICERS_PER_UNIT = 40;
const TARGET_MS = 2000;
const FORCE = { id: 'bench-force', code: '91' };

/**
 * The i-th open case's facts: each reason on a share of the cases (a tenth or so), independently, so some cases carry
 * several and about half carry none. Deterministic in i, so runs seed the same spread.
 */
function factsFor(i: number): SeededFacts {
  const share = (salt: number, percent: number) => ((i * 7919 + salt * 104_729) % 100) < percent;
  const facts: SeededFacts = { history: 20 + (i % 25), lastVictimContactDays: i % 20 };
  if (share(1, 15)) facts.overdueActionDays = i % 3 ? [2 + (i % 30)] : [3, 12];
  if (share(2, 8)) Object.assign(facts, { stage: 'ea-in-progress', earlyAdviceWaitingDays: 10 + (i % 30) });
  else if (share(3, 8)) Object.assign(facts, { stage: 'cps-review', submissions: 2 + (i % 2) });
  else if (share(4, 4)) facts.stage = 'victim-disengaging';
  if (share(5, 10)) facts.bailExpiresInDays = i % 80;
  if (share(6, 8)) facts.actionPlans = 2;
  if (share(7, 5)) facts.lastVictimContactDays = 30 + (i % 40);
  if (share(8, 5)) facts.referral = 'escalated';
  else if (share(9, 5)) facts.referral = 'referred';
  if (share(10, 2)) facts.restricted = true;
  return facts;
}

interface Timings { builder: number[]; query: number[]; count: number[]; roundTrip: number[] }

/** A unit with its officers and `count` cases, the i-th with `facts(i)`; answers the officers. */
async function seedUnit(db: DataSource, unit: string, count: number, facts: (i: number) => SeededFacts, policyVersion: string): Promise<string[]> {
  await db.query(`INSERT INTO units (id, name, organisation, force_id) VALUES ($1, $1, 'police', $2)`, [unit, FORCE.id]);
  const officers: string[] = [];
  for (let i = 0; i < OFFICERS_PER_UNIT; i += 1) {
    const id = randomUUID();
    await db.query(
      `INSERT INTO people (id, name, email, roles, organisation, rank, unit, force_id) VALUES ($1, $2, $3, '{officer}', 'police', 'DC', $4, $5)`,
      [id, `Bench officer ${i}`, `bench-${unit}-${i}@example.invalid`, unit, FORCE.id],
    );
    officers.push(id);
  }
  await inLanes(count, CONCURRENCY, () => false, async (i) => {
    await seedCaseProjection(db, { unit, forceId: FORCE.id, forceCode: FORCE.code, officerId: officers[i % officers.length], policyVersion }, facts(i));
  });
  return officers;
}

async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  samples.push(performance.now() - start);
  return result;
}

function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
  return `${label.padEnd(48)} p50 ${ms(percentile(sorted, 0.5)).padStart(9)}  p95 ${ms(percentile(sorted, 0.95)).padStart(9)}  max ${ms(sorted.at(-1) ?? NaN).padStart(9)}`;
}

async function main(): Promise<void> {
  const wallStart = Date.now();
  console.log(`bench:agenda  a clinic agenda for a unit of ${CASES} open cases (+${FINISHED} finished, +${OTHER_UNITS} other units of ${OTHER_CASES}); target: built in under ${secs(TARGET_MS)} (p95)`);
  console.log(`${load()} at start (${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version})`);
  const pg = await startEmbeddedPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'precharge-bench-agenda-pg-')), port: await freePort(), database: 'precharge_bench', persistent: false });
  const db = await createDataSource(pg.url, 'precharge-bench').initialize();
  try {
    await db.runMigrations({ transaction: 'each' });
    const policy = loadPolicy();
    const rules = policy.agenda!;
    await db.query(`INSERT INTO forces (id, code, name) VALUES ($1, $2, 'Bench force')`, [FORCE.id, FORCE.code]);

    let started = Date.now();
    const unit = 'bench-rasso';
    const officers = await seedUnit(db, unit, CASES, factsFor, policy.version);
    await inLanes(FINISHED, CONCURRENCY, () => false, async (i) => {
      const at = { unit, forceId: FORCE.id, forceCode: FORCE.code, officerId: officers[i % officers.length], policyVersion: policy.version };
      await seedCaseProjection(db, at, { ...factsFor(i), stage: i % 2 ? 'charged' : 'nfa-confirmed' });
    });
    for (let u = 1; u <= OTHER_UNITS; u += 1) await seedUnit(db, `bench-rasso-${u}`, OTHER_CASES, (i) => factsFor(i + u * 100_000), policy.version);
    await db.query('VACUUM ANALYZE');
    const [rows] = (await db.query(`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_events)::int AS events, (SELECT count(*) FROM case_items)::int AS items, (SELECT count(*) FROM case_clocks)::int AS clocks`)) as { cases: number; events: number; items: number; clocks: number }[];
    console.log(`seeded ${rows.cases} cases, ${rows.items} items, ${rows.events} timeline events, ${rows.clocks} clocks in ${secs(Date.now() - started)} (${load()})`);

    const activities = clinicActivities({ dataSource: db, logger: createLogger('bench-agenda', 'warn') });
    const times: Timings = { builder: [], query: [], count: [], roundTrip: [] };
    const now = new Date();
    let entries: { codes: AgendaReasonCode[] }[] = [];
    started = Date.now();
    for (let run = 0; run < WARMUP + REPEATS; run += 1) {
      const sink: Timings = run < WARMUP ? { builder: [], query: [], count: [], roundTrip: [] } : times;
      // Each repeat builds a fresh sitting's agenda from the same cases: referrals a sitting took up are offered again.
      await db.query(`UPDATE clinic_referrals SET clinic_id = NULL WHERE clinic_id IS NOT NULL`);
      const clinicId = randomUUID();
      await db.query(
        `INSERT INTO clinics (id, force_id, unit, sitting_at, duration_minutes, status, policy_version, workflow_id, created_by) VALUES ($1, $2, $3, $4, 60, 'scheduled', $5, $6, 'bench')`,
        [clinicId, FORCE.id, unit, new Date(now.getTime() + 2 * 86_400_000), policy.version, clinicWorkflowId(clinicId)],
      );
      await timed(sink.roundTrip, () => db.query('SELECT 1'));
      await timed(sink.count, () => db.query(
        `SELECT count(*) FROM cases c JOIN case_clocks k ON k.case_id = c.id AND k.status = 'running'
         WHERE c.unit = $1 AND c.stage NOT IN ('charged', 'nfa-confirmed', 'vrr-review', 'admin-finalised', 'scrutiny-sampled', 'closed')`, [unit]));
      await timed(sink.query, () => agendaFor(db, unit, rules, now));
      entries = (await timed(sink.builder, () => activities.buildClinicAgenda({ clinicId, rules, now: now.toISOString() }))).entries;
    }
    if (process.env.BENCH_EXPLAIN === '1') {
      // The agenda's own statement, planned and run by PostgreSQL: the builder is handed a runner that explains it.
      const plan: { 'QUERY PLAN': string }[] = [];
      await agendaFor({ query: async (sql, params) => { plan.push(...((await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)) as typeof plan)); return []; } }, unit, rules, now);
      console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
    }
    const perReason = new Map<string, number>(rules.reasons.map((code) => [code, 0]));
    for (const e of entries) for (const code of e.codes) perReason.set(code, (perReason.get(code) ?? 0) + 1);
    const p50 = (s: number[]) => percentile([...s].sort((a, b) => a - b), 0.5);
    const p95 = (s: number[]) => percentile([...s].sort((a, b) => a - b), 0.95);

    console.log(`\n${REPEATS} repeats (after ${WARMUP} unrecorded) in ${secs(Date.now() - started)}; ${load()} at the end (1/5/15 min: ${load15()})`);
    console.log(summary('agenda builder (buildClinicAgenda activity)', times.builder));
    console.log(summary('  its query alone (agendaFor)', times.query));
    console.log(summary('reference: count of open cases x running clocks', times.count));
    console.log(summary('reference: SELECT 1 round trip', times.roundTrip));
    console.log(`agenda: ${entries.length} of ${CASES} open cases; per reason: ${[...perReason].map(([code, n]) => `${code} ${n}`).join(', ')}`);
    console.log(`ratio (p50): builder ${(p50(times.builder) / p50(times.count)).toFixed(1)}x the count, ${(p50(times.builder) / p50(times.roundTrip)).toFixed(0)}x a round trip; query ${(p50(times.query) / p50(times.count)).toFixed(1)}x the count`);
    const verdict = p95(times.builder) < TARGET_MS ? 'PASS' : 'MISS';
    console.log(`target: agenda for ${CASES} open cases under ${secs(TARGET_MS)} (p95) → ${verdict} (p95 ${secs(p95(times.builder))})`);
    const settings = { cases: CASES, otherUnits: OTHER_UNITS, otherCases: OTHER_CASES, finished: FINISHED, repeats: REPEATS, store: 'embedded PostgreSQL' };
    const reference = `count of open cases x running clocks p50 ${Math.round(p50(times.count))} ms`;
    console.log(`summary: ${writeSummary('agenda', [
      { name: `clinic agenda (${CASES} open cases) p95`, value: Math.round(p95(times.builder)), unit: 'ms', target: `< ${TARGET_MS}`, pass: verdict === 'PASS', reference, ratio: Math.round((p95(times.builder) / p50(times.count)) * 10) / 10, settings },
      { name: `clinic agenda (${CASES} open cases) p50`, value: Math.round(p50(times.builder)), unit: 'ms', reference, ratio: Math.round((p50(times.builder) / p50(times.count)) * 10) / 10, settings },
    ])}`);
    console.log(`total ${secs(Date.now() - wallStart)}`);
  } finally {
    await db.destroy();
    await pg.stop();
  }
}

function load15(): string {
  return loadavg().map((v) => v.toFixed(2)).join(' / ');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
