/**
 * `npm run bench`: every benchmark, one after the other, each as a child process (its own system on loopback, started
 * and stopped by it), then one table of their figures: each benchmark writes `bench/results/<name>-summary.json`
 * (`writeSummary()` in bench-support.ts) and this reads them, printing figure, value, target, PASS/MISS, the reference
 * measured in the same run, the ratio to it and the settings, with the machine's load at each benchmark's end; the whole
 * table also goes to `bench/results/bench-<timestamp>.json` (not committed). Exits 0 either way; a benchmark that fails
 * or writes no fresh summary is said so in the table.
 *
 * The benchmarks are the list below (order, expected minutes, quick-mode sizes); a `bench:<name>` script in
 * package.json that the list lacks is run after them with its own defaults, so a new benchmark is never left out.
 * Adding one: a `bench:<name>` script ending in `node dist/bench/<file>.js`, a `writeSummary('<name>', figures)` call
 * in it, and an entry here.
 *
 * Knobs: BENCH_ONLY=a,b (these names only, in the list's order), BENCH_QUICK=1 (smaller sizes: minutes, for trying it;
 * the figures are not the targets' sizes), BENCH_SKIP=a,b. Other BENCH_* variables pass through to every benchmark.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchSummary } from './bench-support';
import { load, RESULTS_DIR, secs } from './bench-support';

interface Bench {
  /** `npm run bench:<name>`, and its summary `bench/results/<name>-summary.json`. */
  name: string;
  /** Expected minutes on this 2-core machine, full and quick. */
  minutes: number;
  quickMinutes: number;
  /** Environment for BENCH_QUICK=1: smaller sizes. */
  quick: Record<string, string>;
}

/** Every benchmark, in the order they run. Extend here (see the header). */
export const BENCHES: Bench[] = [
  { name: 'deadlines', minutes: 2.5, quickMinutes: 1, quick: { BENCH_COUNT: '300', BENCH_CEILING_COUNT: '100' } },
  { name: 'lifecycle', minutes: 4, quickMinutes: 2, quick: { BENCH_LIFECYCLES: '20', BENCH_CEILING_COUNT: '100', BENCH_SECONDS: '10', BENCH_WARMUP_S: '2' } },
  { name: 'web', minutes: 11, quickMinutes: 2, quick: { BENCH_CASES: '100', BENCH_RATES: '5', BENCH_SECONDS: '10', BENCH_WARMUP_S: '2' } },
  { name: 'agenda', minutes: 3, quickMinutes: 1, quick: { BENCH_CASES: '500', BENCH_OTHER_UNITS: '1', BENCH_OTHER_CASES: '250', BENCH_FINISHED: '150', BENCH_REPEATS: '3', BENCH_WARMUP: '1' } },
  { name: 'import', minutes: 15, quickMinutes: 2, quick: { BENCH_CASES: '500', BENCH_DRY_CASES: '50' } },
  { name: 'webhooks', minutes: 4, quickMinutes: 1.5, quick: { BENCH_CASES: '30' } },
  { name: 'reports', minutes: 15, quickMinutes: 2, quick: { BENCH_CASES: '5000', BENCH_REPEATS: '3', BENCH_WARMUP: '1', BENCH_COLD_REPEATS: '1' } },
  { name: 'capacity', minutes: 10, quickMinutes: 2, quick: { BENCH_QUICK: '1' } },
  { name: 'memory', minutes: 10, quickMinutes: 3, quick: { BENCH_CASES: '2000', BENCH_FIRST: '500', BENCH_LONG_COMMANDS: '300' } },
  { name: 'burst', minutes: 15, quickMinutes: 4, quick: { BENCH_CASES: '1000' } },
];

/** A benchmark not in the list: run with its own defaults, its time unknown. */
const UNLISTED_MINUTES = 10;

const ROOT = resolve(__dirname, '..', '..');
const QUICK = process.env.BENCH_QUICK === '1';
const names = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

interface Ran { name: string; command: string; exitCode: number | null; seconds: number; summary?: BenchSummary; problem?: string }

/** The node command a `bench:<name>` script ends in (`tsc … && node dist/bench/x.js`): this compiled them all once. */
function commandOf(script: string): string[] | undefined {
  const last = script.split('&&').at(-1)!.trim().split(/\s+/);
  return last[0] === 'node' && last.length >= 2 ? last.slice(1) : undefined;
}

function run(bench: Bench, args: string[]): Promise<Ran> {
  const started = Date.now();
  const summaryFile = join(RESULTS_DIR, `${bench.name}-summary.json`);
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...(QUICK ? bench.quick : {}) } });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('exit', (exitCode) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      const ran: Ran = { name: bench.name, command: `node ${args.join(' ')}`, exitCode, seconds: (Date.now() - started) / 1000 };
      try {
        const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as BenchSummary;
        // A summary from an earlier run is not this run's figure.
        if (Date.parse(summary.startedAt) >= started - 1000) ran.summary = summary;
        else ran.problem = `no summary from this run (the one there is from ${summary.startedAt})`;
      } catch {
        ran.problem = existsSync(summaryFile) ? 'its summary could not be read' : 'it wrote no summary';
      }
      done(ran);
    });
  });
}

async function main(): Promise<void> {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const listed = new Set(BENCHES.map((b) => b.name));
  const unlisted = Object.keys(scripts).filter((s) => s.startsWith('bench:') && !listed.has(s.slice(6)))
    .map((s): Bench => ({ name: s.slice(6), minutes: UNLISTED_MINUTES, quickMinutes: UNLISTED_MINUTES, quick: {} }));
  const only = names(process.env.BENCH_ONLY);
  const skip = new Set(names(process.env.BENCH_SKIP));
  const unknown = only.filter((n) => !listed.has(n) && !unlisted.some((b) => b.name === n));
  if (unknown.length) throw new Error(`BENCH_ONLY names no benchmark called ${unknown.join(', ')} (there are ${[...listed, ...unlisted.map((b) => b.name)].join(', ')})`);
  const chosen = [...BENCHES, ...unlisted].filter((b) => (!only.length || only.includes(b.name)) && !skip.has(b.name));
  const absent = chosen.filter((b) => !scripts[`bench:${b.name}`]);
  const runnable = chosen.filter((b) => scripts[`bench:${b.name}`]);
  const expected = runnable.reduce((m, b) => m + (QUICK ? b.quickMinutes : b.minutes), 0);

  const startedAt = new Date();
  console.log(`npm run bench${QUICK ? ' (BENCH_QUICK=1: smaller sizes, not the targets\u2019 sizes)' : ''}: ${runnable.map((b) => b.name).join(', ')}`);
  console.log(`expected duration about ${Math.round(expected)} minutes on a 2-core machine (${runnable.map((b) => `${b.name} ${QUICK ? b.quickMinutes : b.minutes}`).join(', ')}); ${load()} at start`);
  if (absent.length) console.log(`not on this branch (no npm script): ${absent.map((b) => `bench:${b.name}`).join(', ')}`);

  const ran: Ran[] = [];
  for (const bench of runnable) {
    const args = commandOf(scripts[`bench:${bench.name}`]);
    if (!args) {
      ran.push({ name: bench.name, command: scripts[`bench:${bench.name}`], exitCode: null, seconds: 0, problem: 'its script does not end in `node <file>`' });
      continue;
    }
    console.log(`\n━━━ bench:${bench.name} (${ran.length + 1}/${runnable.length}, about ${QUICK ? bench.quickMinutes : bench.minutes} min; ${secs(Date.now() - startedAt.getTime())} so far; ${load()}) ━━━`);
    ran.push(await run(bench, args));
  }
  report(ran, absent, startedAt);
}

function report(ran: Ran[], absent: Bench[], startedAt: Date): void {
  const rows: string[][] = [];
  for (const r of ran) {
    if (!r.summary) {
      rows.push([r.name, `(${r.problem}${r.exitCode ? `; exit ${r.exitCode}` : ''})`, '', '', 'MISS', '', '', '', '']);
      continue;
    }
    const machine = `${r.summary.load[0].toFixed(1)}/${r.summary.cores}`;
    for (const f of r.summary.figures) {
      rows.push([
        r.name, f.name, `${f.value} ${f.unit}`, f.target ?? '', f.pass === undefined ? '' : f.pass ? 'PASS' : 'MISS', f.reference ?? '',
        f.ratio === undefined ? '' : String(f.ratio), machine, f.settings ? Object.entries(f.settings).map(([k, v]) => `${k}=${String(v)}`).join(' ') : '',
      ]);
    }
  }
  for (const b of absent) rows.push([b.name, '(not on this branch)', '', '', '', '', '', '', '']);
  const header = ['bench', 'figure', 'value', 'target', 'verdict', 'reference (same run)', 'ratio', 'load/cores', 'settings'];
  const widths = header.map((h, i) => Math.min(i === 8 ? 200 : 60, Math.max(h.length, ...rows.map((row) => row[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(`\n=== npm run bench${QUICK ? ' (quick sizes)' : ''}: ${ran.length} benchmarks in ${secs(Date.now() - startedAt.getTime())} ===`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const verdicts = ran.flatMap((r) => r.summary?.figures.filter((f) => f.pass !== undefined) ?? []);
  const missing = ran.filter((r) => !r.summary).length;
  const [one, five, fifteen] = loadavg();
  console.log(`${verdicts.filter((f) => f.pass).length} PASS, ${verdicts.filter((f) => !f.pass).length} MISS of ${verdicts.length} targets${missing ? `; ${missing} benchmarks gave no figures` : ''}. `
    + `Machine: ${cpus().length} cores, load ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} (1 / 5 / 15 min) now; each benchmark's load at its end is in the table`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ startedAt: startedAt.toISOString(), quick: QUICK, cores: cpus().length, load: loadavg(), benches: ran, absent: absent.map((b) => b.name) }, null, 2));
  console.log(`table as JSON: ${file}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: Error) => {
      console.error(`npm run bench failed: ${err.stack ?? err.message}`);
      process.exit(1);
    },
  );
}
