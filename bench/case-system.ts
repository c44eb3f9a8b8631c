import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../db/data-source';
import { DEMO_ADMIN_ID, DEMO_FORCES, demoClient, demoTokens, ensureDemoPeople, signDemoToken } from '../scripts/demo/demo-api';
import { type CaseFileSummary, demoCasePeople, type GenerateOptions, writeCaseFile } from '../scripts/generate-cases';
import { startThrowawaySystem, type ThrowawaySystem, throwawayWorkspace } from '../scripts/stack/system';
import { delay, devServerPid, pidsByCommandLine, procCpuMs, procRssMiB, secs, temporalCli, treeCpuMs } from './bench-support';

/**
 * What the benchmarks on a whole system share (bench:import, bench:memory, bench:burst): a throwaway system as
 * deployed (embedded PostgreSQL, the Temporal dev server on SQLite as `npm start` runs it, an SMTP catcher, the worker
 * and the API from dist/), the demo's forces, units and people, synthetic case files from the generator, and imports
 * through `POST /api/imports` polled to their end.
 */
export type Proc = 'api' | 'worker' | 'postgres' | 'temporal';

export interface CaseSystem {
  sys: ThrowawaySystem;
  dir: string;
  dataSource: DataSource;
  admin: string;
  /** The demo people's ids and tokens, by their key (`officer`, `ds`, `dcp`…). */
  ids: Record<string, string>;
  tokens: Record<string, string>;
  pids(): Record<Proc, number | undefined>;
  /** CPU so far of each server process, ms (PostgreSQL with its backends). */
  cpu(): Record<Proc, number | undefined>;
  rss(proc: 'api' | 'worker'): number | undefined;
  /** Whether a server process ended by itself (the run is then void). */
  failure(): string | undefined;
  stop(): Promise<void>;
}

export async function startCaseSystem(prefix: string, env: NodeJS.ProcessEnv = {}): Promise<CaseSystem> {
  const work = throwawayWorkspace(prefix);
  let failure: string | undefined;
  try {
    const temporalDb = join(work.dir, 'temporal.sqlite');
    const sys = work.adopt(await startThrowawaySystem({
      workDir: work.dir, database: 'precharge_bench', temporalCli: temporalCli(), temporalDbFile: temporalDb,
      env: { RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000', ...env },
      onExit: (script, code) => { failure = `${script} exited (${code}); its output is in ${sys.log}`; },
      // Benchmarks share this machine with other work: the API gets longer to come up.
      readyTimeoutMs: 300_000,
    }));
    const postgres = pidsByCommandLine(sys.postgresDir)[0];
    const temporal = devServerPid(temporalDb);
    const pids = () => ({ api: sys.api.pid, worker: sys.worker.pid, postgres, temporal });
    const dataSource = await createDataSource(sys.databaseUrl, 'precharge-bench').initialize();
    const call = demoClient(sys.apiUrl, 'bench');
    const admin = await signDemoToken(sys.jwtSecret, DEMO_ADMIN_ID, ['admin'], 'headquarters');
    const ids = await ensureDemoPeople(call, admin, dataSource);
    const tokens = await demoTokens(sys.jwtSecret, ids);
    return {
      sys, dir: work.dir, dataSource, admin, ids, tokens, pids,
      cpu: () => {
        const p = pids();
        return { api: procCpuMs(p.api), worker: procCpuMs(p.worker), postgres: treeCpuMs(p.postgres), temporal: procCpuMs(p.temporal) };
      },
      rss: (proc) => procRssMiB(pids()[proc]),
      failure: () => failure,
      stop: async () => { await dataSource.destroy().catch(() => undefined); await work.stop(); },
    };
  } catch (err) {
    await work.stop();
    throw err;
  }
}

export interface GeneratedFile { path: string; unit: string; cases: number; summary: CaseFileSummary }

/** A file of `cases` synthetic cases of `unit` from the generator (`npm run generate:cases`), reported over `years` to `until`. */
export async function generateCaseFile(path: string, unit: string, cases: number, opts: { seed: number; years: number; until?: Date; quiet?: boolean }): Promise<GeneratedFile> {
  const started = Date.now();
  const options: GenerateOptions = {
    cases, years: opts.years, seed: opts.seed, until: opts.until ?? new Date(), unit,
    forceCode: DEMO_FORCES.find((f) => f.unit.id === unit)!.code, people: demoCasePeople(unit),
  };
  const summary = await writeCaseFile(options, path);
  if (!opts.quiet) console.log(`generated ${cases.toLocaleString('en-GB')} cases of ${unit} (${(summary.bytes / 1_048_576).toFixed(1)} MiB, ${summary.events.toLocaleString('en-GB')} events) in ${secs(Date.now() - started)}`);
  return { path, unit, cases, summary };
}

/** POSTs a file's cases as JSON lines, from a string or streamed from disk; the answer's JSON. */
export async function uploadCases(apiUrl: string, admin: string, body: string | { file: string }, query = ''): Promise<Record<string, unknown>> {
  const res = await fetch(`${apiUrl}/imports${query}`, {
    method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/x-ndjson' },
    body: typeof body === 'string' ? body : (Readable.toWeb(createReadStream(body.file)) as ReadableStream),
    // A streamed request body: undici sends it as it is read.
    ...(typeof body === 'string' ? {} : { duplex: 'half' }),
  } as RequestInit);
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`bench: POST /imports${query} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

export interface ImportDone { id: string; report: Record<string, unknown>; uploadMs: number; elapsedMs: number }

/**
 * Imports a file streamed from disk and polls `GET /api/imports/:id` every `pollMs` until the job has ended;
 * `onProgress` hears each poll's progress.
 */
export async function importCaseFile(apiUrl: string, admin: string, file: string, opts: { pollMs: number; onProgress?: (p: { done: number; total: number; percent: number }, elapsedMs: number) => void }): Promise<ImportDone> {
  const started = performance.now();
  const posted = await uploadCases(apiUrl, admin, { file });
  const uploadMs = performance.now() - started;
  for (;;) {
    await delay(opts.pollMs);
    const res = await fetch(`${apiUrl}/imports/${posted.id as string}`, { headers: { authorization: `Bearer ${admin}` } });
    const report = (await res.json()) as Record<string, unknown>;
    opts.onProgress?.(report.progress as { done: number; total: number; percent: number }, performance.now() - started);
    if (report.status !== 'running' && report.status !== 'receiving') return { id: posted.id as string, report, uploadMs, elapsedMs: performance.now() - started };
  }
}
