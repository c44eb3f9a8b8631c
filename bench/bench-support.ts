import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { temporalCliPath } from '../scripts/stack/temporal-cli-path';

/** What the benchmarks share: running work in lanes, percentiles, the machine's load, a process's CPU, settings. */

/** Runs `work(0..count-1)` with at most `lanes` in flight. */
export async function inLanes(count: number, lanes: number, stopped: () => boolean, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, async () => {
    while (next < count && !stopped()) await work(next++);
  }));
}

/** The machine's 1-minute load average: other work on the box shows up in the figures. */
export function load(): string {
  return `load ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** User + system CPU of a process so far, in ms (Linux /proc, clock ticks of 10 ms); with `reaped`, also its ended children's. */
export function procCpuMs(pid: number | undefined, reaped = false): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0)) * 10;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process now, in MiB (Linux /proc); undefined once it has gone or without /proc. */
export function procRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** The flag that makes a server process log each garbage collection (read back by `LiveHeap`). */
export const TRACE_GC = '--trace-gc';

/**
 * What a Node process holds, as opposed to its RSS: V8 lets a heap grow to several times what is live before a full
 * collection, so a peak RSS is mostly garbage not yet collected. Reads the `--trace-gc` lines the server processes write
 * to the system's log and keeps, per process and per isolate (the worker's main thread and its workflow thread), the
 * heap left after the latest full collection (Mark-Compact); a process's live heap is the sum over its isolates.
 */
export class LiveHeap {
  private offset = 0;
  private partial = '';
  private readonly after = new Map<number, Map<string, number>>();
  /** Each process's live heap after each full collection (key: pid), and each isolate's (key: pid:isolate), with when the bench read it. */
  private readonly samples = new Map<string, { at: number; mb: number }[]>();
  private readonly chunk = Buffer.alloc(1 << 20);

  constructor(private readonly log: string) {}

  /** Reads what the log gained since the last call. */
  read(): void {
    let fd: number;
    try { fd = openSync(this.log, 'r'); } catch { return; }
    try {
      const { chunk } = this;
      for (let n = readSync(fd, chunk, 0, chunk.length, this.offset); n > 0; n = readSync(fd, chunk, 0, chunk.length, this.offset)) {
        this.offset += n;
        const lines = (this.partial + chunk.toString('utf8', 0, n)).split('\n');
        this.partial = lines.pop() ?? '';
        for (const line of lines) {
          const m = /^\[(\d+):(0x[0-9a-f]+)\]\s+\d+ ms: Mark-Compact (?:\(reduce\) )?[\d.]+ \([\d.]+\) -> ([\d.]+) /.exec(line);
          if (!m) continue;
          const pid = Number(m[1]);
          if (!this.after.has(pid)) this.after.set(pid, new Map());
          this.after.get(pid)!.set(m[2], Number(m[3]));
          const at = Date.now();
          for (const [key, mb] of [[String(pid), this.liveMB(pid)!], [`${pid}:${m[2]}`, Number(m[3])]] as const) {
            if (!this.samples.has(key)) this.samples.set(key, []);
            this.samples.get(key)!.push({ at, mb });
          }
        }
      }
    } finally {
      closeSync(fd);
    }
  }

  /** The process's live heap in MB (V8's megabytes) after its isolates' latest full collections, if any were logged. */
  liveMB(pid: number | undefined): number | undefined {
    const isolates = pid === undefined ? undefined : this.after.get(pid);
    return isolates?.size ? [...isolates.values()].reduce((a, b) => a + b, 0) : undefined;
  }

  /** The process's isolates (in no particular order: the caller tells them apart), with their latest live heap. */
  isolates(pid: number | undefined): { isolate: string; mb: number }[] {
    return [...(pid === undefined ? [] : this.after.get(pid) ?? new Map<string, number>())].map(([isolate, mb]) => ({ isolate, mb }));
  }

  /**
   * How the live heap moved over [from, to] (Date.now() times): the least-squares line through the full collections
   * read in it, as its rise across the whole span, and how many collections it rests on (under 3, no line).
   */
  trendMB(pid: number | undefined, from: number, to: number, isolate?: string): { riseMB: number | undefined; collections: number } {
    const key = isolate === undefined ? String(pid) : `${pid}:${isolate}`;
    const points = (pid === undefined ? [] : this.samples.get(key) ?? []).filter((p) => p.at >= from && p.at <= to);
    if (points.length < 3) return { riseMB: undefined, collections: points.length };
    const meanAt = points.reduce((a, p) => a + p.at, 0) / points.length;
    const meanMb = points.reduce((a, p) => a + p.mb, 0) / points.length;
    const slope = points.reduce((a, p) => a + (p.at - meanAt) * (p.mb - meanMb), 0) / points.reduce((a, p) => a + (p.at - meanAt) ** 2, 0);
    return { riseMB: slope * (to - from), collections: points.length };
  }
}

/** The Temporal CLI: $TEMPORAL_CLI, else the one the toolchain builds into the cache (`npm start` builds it). */
export function temporalCli(): string {
  const cli = temporalCliPath();
  if (!existsSync(cli)) throw new Error(`no Temporal CLI at ${cli}: set TEMPORAL_CLI, or run \`npm start\` once to build it`);
  return cli;
}

/** The dev server's process id, found by its database file (Linux /proc; undefined elsewhere). */
export function devServerPid(dbFile: string): number | undefined {
  return pidsByCommandLine('start-dev', dbFile)[0];
}

/** Processes whose command line contains every one of `texts` (Linux /proc; empty elsewhere). */
export function pidsByCommandLine(...texts: string[]): number[] {
  const pids: number[] = [];
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (texts.every((text) => commandLine.includes(text))) pids.push(Number(entry));
      } catch { /* gone, or not ours to read */ }
    }
  } catch { /* no /proc */ }
  return pids;
}

/**
 * CPU of a process and its children so far, in ms (PostgreSQL's server and its backends): the live children's and
 * the ended ones' (counted into the parent when reaped), so the sum never goes back. Undefined without /proc.
 */
export function treeCpuMs(pid: number | undefined): number | undefined {
  const own = procCpuMs(pid, true);
  if (own === undefined) return undefined;
  let children = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (new RegExp(`^PPid:\\s+${pid}$`, 'm').test(readFileSync(`/proc/${entry}/status`, 'utf8'))) children += procCpuMs(Number(entry), true) ?? 0;
    } catch { /* gone */ }
  }
  return own + children;
}

/** When this benchmark's process started: the summary says so, so `npm run bench` can tell a fresh one from an old one. */
const STARTED_AT = new Date().toISOString();

/** Where benchmarks write their figures (ignored by git): the repository's bench/results (benchmarks run from dist/bench). */
export const RESULTS_DIR = resolve(__dirname, '..', '..', 'bench', 'results');

/** One figure of a benchmark's summary, as `npm run bench` shows it: with its target and verdict where it has one. */
export interface Figure {
  name: string;
  /** null: not measured in this run (e.g. a step that never passed). */
  value: number | null;
  unit: string;
  /** The target as people read it, e.g. `< 500 ms` or `>= 3`. */
  target?: string;
  pass?: boolean;
  /** The reference measured in the same run, as people read it (e.g. `30.1 trivial workflows/s`). */
  reference?: string;
  /** value ÷ reference, where both are numbers of the same kind. */
  ratio?: number;
  settings?: Record<string, unknown>;
}

export interface BenchSummary { bench: string; figures: Figure[]; load: number[]; cores: number; startedAt: string }

/**
 * Writes `bench/results/<bench>-summary.json`, the figures `npm run bench` (bench/all.ts) gathers into its table; the
 * machine's load averages (1, 5, 15 min) and cores now. Returns the file's path.
 */
export function writeSummary(bench: string, figures: Figure[]): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${bench}-summary.json`);
  const summary: BenchSummary = { bench, figures, load: loadavg().map((l) => Math.round(l * 100) / 100), cores: cpus().length, startedAt: STARTED_AT };
  writeFileSync(file, JSON.stringify(summary, null, 2));
  return file;
}
