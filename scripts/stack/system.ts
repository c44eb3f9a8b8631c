import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import { createDataSource } from '../../db/data-source';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startMailCatcher } from './mail-catcher';
import { freePort, waitFor } from './ports';
import { ProcessGroup } from './process-group';
import { startTemporalDevServer } from './temporal-dev-server';

const ROOT = resolve(__dirname, '..', '..', '..');

export interface ThrowawaySystem {
  /** `http://127.0.0.1:<port>`: pages at `/`, the API at `/api`. */
  baseUrl: string;
  apiUrl: string;
  databaseUrl: string;
  /** PostgreSQL's data directory (deleted on stop). */
  postgresDir: string;
  temporalAddress: string;
  jwtSecret: string;
  /** Where the worker's and the API's output goes. */
  log: string;
  api: ChildProcess;
  worker: ChildProcess;
  stop(): Promise<void>;
}

/**
 * A whole system on free loopback ports, for tools that need one of their own (the API fuzzer, benchmarks): a
 * throwaway embedded PostgreSQL, Temporal's dev server (in memory, or a SQLite file as `npm start` runs it), an SMTP
 * catcher, the migrations, then the worker and the API from dist/ as separate processes, exactly as deployed.
 * Generated secrets; `env` adds to (or overrides) the processes' environment. `onExit` hears of a process that
 * ends before `stop()`.
 */
export async function startThrowawaySystem(opts: {
  workDir: string; database: string; temporalCli: string; temporalDbFile?: string; env?: NodeJS.ProcessEnv;
  onExit?: (script: string, code: number | null) => void;
  /** How long the API may take to answer its health check (60 s; more on a machine busy with others' work). */
  readyTimeoutMs?: number;
}): Promise<ThrowawaySystem> {
  const group = new ProcessGroup();
  try {
    // A directory of its own: when run as root, PostgreSQL runs as another user, who cannot enter workDir.
    const pgDir = mkdtempSync(join(tmpdir(), 'precharge-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort(), database: opts.database, persistent: false });
    group.onStop(pg.stop);
    const temporal = await startTemporalDevServer({ cli: opts.temporalCli, port: await freePort(), dbFile: opts.temporalDbFile });
    group.onStop(temporal.stop);
    const mail = await startMailCatcher({ smtpPort: await freePort(), webPort: await freePort() });
    group.onStop(mail.stop);
    const migrations = await createDataSource(pg.url, 'precharge-migrate').initialize();
    await migrations.runMigrations({ transaction: 'each' });
    await migrations.destroy();

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const jwtSecret = randomBytes(32).toString('hex');
    const env: NodeJS.ProcessEnv = {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: pg.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'default',
      SMTP_URL: mail.smtpUrl, JWT_SECRET: jwtSecret, SESSION_SECRET: randomBytes(32).toString('hex'), PAYLOAD_KEYS: `local:${randomBytes(32).toString('base64')}`,
      PUBLIC_URL: baseUrl, LOG_LEVEL: 'warn',
      // Benchmarks and the API fuzzer: webhooks only ever to this machine.
      WEBHOOK_DESTINATIONS: 'loopback', ...opts.env,
    };
    const log = join(opts.workDir, 'system.log');
    const logStream = createWriteStream(log);
    const [worker, api] = ['worker/main.js', 'api/main.js'].map((script) => {
      // PRECHARGE_CPU_PROF_DIR: each server process writes a V8 CPU profile there when it exits (for the benchmarks).
      const profile = process.env.PRECHARGE_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PRECHARGE_CPU_PROF_DIR}`] : [];
      const child = spawn(process.execPath, [...profile, join(ROOT, 'dist', script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.pipe(logStream, { end: false });
      child.stderr?.pipe(logStream, { end: false });
      child.once('exit', (code) => { if (!group.stopping) opts.onExit?.(script, code); });
      return group.addChild(child);
    });
    const apiUrl = `${baseUrl}/api`;
    await waitFor('API', async () => { const res = await fetch(`${apiUrl}/health`); if (!res.ok) throw new Error(`health ${res.status}`); }, opts.readyTimeoutMs ?? 60_000, 300);
    return { baseUrl, apiUrl, databaseUrl: pg.url, postgresDir: pgDir, temporalAddress: temporal.address, jwtSecret, log, api, worker, stop: () => group.stopAll() };
  } catch (err) {
    await group.stopAll();
    throw err;
  }
}

/**
 * A scratch directory for a throwaway system, and one way to end both: `stop()` (once, however often called) stops
 * the system it was given, then deletes the directory; Ctrl-C and SIGTERM do the same before the process exits.
 */
export function throwawayWorkspace(prefix: string): { dir: string; adopt: (system: ThrowawaySystem) => ThrowawaySystem; stop: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let system: ThrowawaySystem | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= (async () => {
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  })());
  // embedded-postgres stops its server from its own exit hook; ours joins it, so a signal stops everything first.
  exitHook.forceExitTimeout(30_000);
  exitHook((done) => { void stop().then(done); });
  return { dir, adopt: (s) => (system = s), stop };
}
