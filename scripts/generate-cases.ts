/**
 * `npm run generate:cases -- --cases 100000 --years 5 --seed 42 --out cases.jsonl`: a file of synthetic existing
 * cases in the import's JSON-lines format (POST /api/imports), for demos and benchmarks. Every case is one the
 * import accepts: its events are in time order and each is a step the pipeline's rules allow at its time.
 *
 * Reports are spread over the `--years` before `--until` (default: the start of today, UTC), on working days in
 * working hours mostly; recent cases are caught part-way, at every stage of the pipeline. The same seed and the same
 * `--until` give a byte-identical file. The file is written a case at a time (memory stays flat however many cases),
 * with progress every 10% and the cases by final stage at the end.
 *
 * People are named by directory email: by default the demo's (`npm start`), so the file imports into the demo as is;
 * `--unit demo-rasso-south` takes the second force's people. Any other unit needs `--force-code` (the start of its
 * URNs) and its people: `--officers a@x,b@y --ds … --di … --dcp … --prosecutor …` (`--superintendent` optional:
 * without one, bail is not extended beyond 6 months).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { CASE_STAGES, type CaseStage } from '../workflows/contracts';
import { DEMO_FORCES, DEMO_PEOPLE, DEMO_SOUTH_UNIT, DEMO_UNIT, demoEmail } from './demo/demo-api';
import { Draw } from './synthetic/draw';
import { caseJourney, type CasePeople, Journey, type Outcome } from './synthetic/journey';
import { Parties } from './synthetic/parties';
import { DAY, instant, MINUTE, WorkingTime } from './synthetic/working-time';

export interface GenerateOptions {
  cases: number;
  years: number;
  seed: number | string;
  /** The file's end: every event is at or before it (an import's "now" must not be earlier). */
  until: Date;
  unit: string;
  /** The Home Office code of the unit's force, which its URNs start with. */
  forceCode: string;
  people: CasePeople;
}

export interface GeneratedCase {
  urn: string;
  /** The case as one line of the file (no newline). */
  line: string;
  stage: CaseStage;
  outcome?: Outcome;
  events: number;
  repeatSuspect: boolean;
  vulnerable: boolean;
  bail: boolean;
  rui: boolean;
}

/** Station codes of generated URNs: no real station's, and none the tests' or the demo's own cases use. */
const STATIONS = ['GA', 'GB', 'GC', 'GD'];

/** The demo's people of a demo unit, by directory email (ensureDemoPeople makes them). */
export function demoCasePeople(unit: string = DEMO_UNIT): CasePeople {
  const email = (key: string) => demoEmail(DEMO_PEOPLE.find((p) => p.key === key)!);
  const cps = { dcp: email('dcp'), prosecutor: email('prosecutor') };
  if (unit === DEMO_SOUTH_UNIT) return { officers: [email('southOfficer')], ds: email('southDs'), di: email('southDi'), ...cps };
  return { officers: [email('officer'), email('officer2')], ds: email('ds'), di: email('di'), superintendent: email('superintendent'), ...cps };
}

/** The synthetic cases, one at a time, in the order they were reported. */
export function* generateCases(opts: GenerateOptions): Generator<GeneratedCase> {
  if (!opts.people.officers.length) throw new TypeError('generateCases needs at least one officer');
  const draw = new Draw(opts.seed, 'synthetic-cases');
  const until = opts.until.getTime();
  const span = opts.years * 365.25 * DAY;
  const from = until - span;
  const time = new WorkingTime(draw, new Date(from).getUTCFullYear() - 1, new Date(until).getUTCFullYear() + 1);
  const parties = new Parties(draw, time);
  const serials = new Map<string, number>();
  for (let i = 0; i < opts.cases; i += 1) {
    // Stratified over the years, so reports come in date order and evenly however few cases are drawn.
    let reportedAt = time.reportTime(from + ((i + draw.unit()) * span) / opts.cases);
    if (reportedAt >= until) reportedAt = until - draw.int(10, 600) * MINUTE;
    const station = draw.pick(STATIONS);
    const year = time.date(reportedAt).slice(2, 4);
    const serial = (serials.get(station + year) ?? 0) + 1;
    if (serial > 99_999) throw new RangeError(`more than ${STATIONS.length * 99_999} cases reported in one year: URN serials would run out`);
    serials.set(station + year, serial);
    const urn = `${opts.forceCode}${station}${String(serial).padStart(5, '0')}${year}`;

    const victim = parties.victim(reportedAt);
    const offence = parties.offence(reportedAt, victim.dateOfBirth);
    const first = parties.suspect(reportedAt);
    const suspects = [first.suspect, ...(draw.chance(0.12) ? [parties.suspect(reportedAt).suspect] : [])];
    const officer = draw.pick(opts.people.officers);
    const journey = new Journey(draw, time, opts.people, officer, reportedAt, suspects.length);
    caseJourney(journey);
    const end = journey.finish(until);
    const line = JSON.stringify({ urn, unit: opts.unit, officerId: officer, reportedAt: instant(reportedAt), offence, victim, suspects, events: end.events });
    yield {
      urn, line, stage: end.stage, outcome: end.outcome, events: end.events.length, repeatSuspect: first.repeat, vulnerable: victim.vulnerable, bail: end.bail, rui: end.rui,
    };
  }
}

const OUTCOME_LABELS: Record<Outcome['by'], string> = { cps: 'CPS', police: 'police NFA', withdrawal: 'victim withdrew, NFA' };

/** What a generated file holds: cases by final stage and outcome, and how many have each feature. */
export class CaseFileSummary {
  cases = 0;
  events = 0;
  bytes = 0;
  readonly byStage = new Map<CaseStage, number>();
  readonly byOutcome = new Map<string, number>();
  repeatSuspects = 0;
  vulnerable = 0;
  bail = 0;
  rui = 0;

  add(c: GeneratedCase): void {
    this.cases += 1;
    this.events += c.events;
    this.bytes += Buffer.byteLength(c.line) + 1;
    this.byStage.set(c.stage, (this.byStage.get(c.stage) ?? 0) + 1);
    if (c.outcome) {
      const label = c.outcome.code === 1 ? 'CPS charge (1)' : `${OUTCOME_LABELS[c.outcome.by]} ${c.outcome.code}`;
      this.byOutcome.set(label, (this.byOutcome.get(label) ?? 0) + 1);
    }
    if (c.repeatSuspect) this.repeatSuspects += 1;
    if (c.vulnerable) this.vulnerable += 1;
    if (c.bail) this.bail += 1;
    if (c.rui) this.rui += 1;
  }

  /** The stages in the pipeline's order, with their counts and shares. */
  stages(): { stage: CaseStage; cases: number; percent: number }[] {
    return CASE_STAGES.filter((s) => this.byStage.has(s)).map((stage) => ({ stage, cases: this.byStage.get(stage)!, percent: (100 * this.byStage.get(stage)!) / this.cases }));
  }

  report(): string {
    const n = (value: number) => value.toLocaleString('en-GB');
    const share = (value: number) => `${((100 * value) / Math.max(this.cases, 1)).toFixed(1)}%`;
    const width = Math.max(...CASE_STAGES.map((s) => s.length));
    return [
      `${n(this.cases)} cases, ${n(this.events)} events, ${(this.bytes / 1_048_576).toFixed(1)} MiB`,
      'cases by final stage:',
      ...this.stages().map((s) => `  ${s.stage.padEnd(width)}  ${n(s.cases).padStart(9)}  ${share(s.cases).padStart(6)}`),
      `outcome codes where decided: ${[...this.byOutcome.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, count]) => `${label}: ${n(count)}`).join(', ')}`,
      `repeat suspects (named in an earlier case): ${n(this.repeatSuspects)} cases; vulnerable victims: ${share(this.vulnerable)}; suspect bailed: ${n(this.bail)}, released under investigation: ${n(this.rui)}`,
    ].join('\n');
  }
}

/** Writes the cases to `path` a line at a time, waiting whenever the file falls behind; calls `progress` after each case. */
export async function writeCaseFile(opts: GenerateOptions, path: string, progress?: (summary: CaseFileSummary) => void): Promise<CaseFileSummary> {
  const out = createWriteStream(path);
  const summary = new CaseFileSummary();
  try {
    for (const generated of generateCases(opts)) {
      summary.add(generated);
      if (!out.write(`${generated.line}\n`)) await once(out, 'drain');
      progress?.(summary);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return summary;
}

/** The options from the command line, with the demo's unit and people unless told otherwise. */
export function optionsFromArgs(args: string[], today = new Date()): GenerateOptions & { out: string } {
  const { values } = parseArgs({
    args, strict: true,
    options: {
      cases: { type: 'string', default: '1000' }, years: { type: 'string', default: '5' }, seed: { type: 'string', default: '42' }, out: { type: 'string', default: 'cases.jsonl' },
      until: { type: 'string' }, unit: { type: 'string', default: DEMO_UNIT }, 'force-code': { type: 'string' }, officers: { type: 'string' },
      ds: { type: 'string' }, di: { type: 'string' }, superintendent: { type: 'string' }, dcp: { type: 'string' }, prosecutor: { type: 'string' },
    },
  });
  const positive = (name: string, value: string) => {
    const number = Number(value);
    if (!(number > 0) || !Number.isFinite(number)) throw new TypeError(`--${name} must be a positive number, got "${value}"`);
    return number;
  };
  const cases = positive('cases', values.cases);
  if (!Number.isInteger(cases)) throw new TypeError(`--cases must be a whole number, got "${values.cases}"`);
  const until = values.until ? new Date(/T/.test(values.until) ? values.until : `${values.until}T00:00:00Z`) : new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  if (Number.isNaN(until.getTime())) throw new TypeError(`--until must be a date (YYYY-MM-DD) or an instant, got "${values.until}"`);
  const forceCode = values['force-code'] ?? DEMO_FORCES.find((f) => f.unit.id === values.unit)?.code;
  if (!forceCode || !/^\d{2}$/.test(forceCode)) throw new TypeError(`--force-code (two digits, the start of the unit's URNs) is needed for unit ${values.unit}`);
  const demoUnit = DEMO_FORCES.some((f) => f.unit.id === values.unit);
  const missing = (['officers', 'ds', 'di', 'dcp', 'prosecutor'] as const).filter((role) => !values[role]);
  if (!demoUnit && missing.length) throw new TypeError(`unit ${values.unit} is not the demo's: name its people (${missing.map((m) => `--${m}`).join(' ')})`);
  const demo = demoCasePeople(values.unit);
  const people: CasePeople = {
    officers: values.officers ? values.officers.split(',').map((o) => o.trim()).filter(Boolean) : demo.officers,
    ds: values.ds ?? demo.ds, di: values.di ?? demo.di, dcp: values.dcp ?? demo.dcp, prosecutor: values.prosecutor ?? demo.prosecutor,
    // Another unit's people named without a superintendent: bail is not extended beyond 6 months.
    superintendent: values.superintendent ?? (values.officers ? undefined : demo.superintendent),
  };
  return { cases, years: positive('years', values.years), seed: values.seed, until, unit: values.unit, forceCode, people, out: values.out };
}

async function main(): Promise<void> {
  const opts = optionsFromArgs(process.argv.slice(2));
  const started = Date.now();
  console.log(`generate:cases  ${opts.cases.toLocaleString('en-GB')} synthetic cases of unit ${opts.unit} reported over the ${opts.years} years to ${instant(opts.until.getTime())}, seed ${opts.seed}, into ${opts.out}`);
  const step = Math.max(1, Math.ceil(opts.cases / 10));
  const summary = await writeCaseFile(opts, opts.out, (s) => {
    if (s.cases % step === 0 || s.cases === opts.cases) {
      console.log(`  ${String(Math.round((100 * s.cases) / opts.cases)).padStart(3)}%  ${s.cases.toLocaleString('en-GB')} cases, ${s.events.toLocaleString('en-GB')} events in ${((Date.now() - started) / 1000).toFixed(1)} s (heap ${Math.round(process.memoryUsage().heapUsed / 1_048_576)} MiB)`);
    }
  });
  console.log(summary.report());
  console.log(`written in ${((Date.now() - started) / 1000).toFixed(1)} s: ${opts.out}`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`generate:cases failed: ${err.message}`);
    process.exit(1);
  });
}
