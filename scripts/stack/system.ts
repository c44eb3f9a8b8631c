import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import { createDataSource } from '../../db/data-source';
import { startEmbeddedPostgres } from './embedded-postgres';
import { type CaughtMessage, startMailCatcher } from './mail-catcher';
import { freePort, waitFor } from './ports';
import { ProcessGroup } from './process-group';
import { REPO_ROOT as ROOT } from './repo-root';
import { startTemporalDevServer } from './temporal-dev-server';

export interface RestartOptions { signal?: NodeJS.Signals; whileDown?: () => Promise<void>; env?: NodeJS.ProcessEnv; postgresMode?: 'fast' | 'immediate' }

export interface ThrowawaySystem {
  /** `http://127.0.0.1:<port>`: pages at `/`, the API at `/api`. */
  baseUrl: string;
  apiUrl: string;
  databaseUrl: string;
  /** PostgreSQL's data directory (deleted on stop). */
  postgresDir: string;
  temporalAddress: string;
  jwtSecret: string;
  /** The SMTP catcher's inbox over HTTP: `GET <mailUrl>/api/messages`. */
  mailUrl: string;
  /** Where the worker's and the API's output goes. */
  log: string;
  /** The worker's Prometheus endpoint (the SDK's metrics), on a free port of its own. */
  workerMetricsUrl: string;
  /** The running process (a new one after `start`/`restart`). */
  api: ChildProcess;
  worker: ChildProcess;
  /**
   * Fault tests: ends one part (a process by `signal`, SIGKILL by default, the way a host dies; a service by its own
   * stop) and leaves it down until `start`, which brings it back on the same port: the mail catcher with what it
   * caught, Temporal's dev server on the same SQLite file (a system started with `temporalDbFile` only).
   */
  kill(part: SystemPart, signal?: NodeJS.Signals): Promise<void>;
  start(part: SystemPart): Promise<void>;
  /**
   * `kill` then `start`, running `whileDown` in between; `env` is added to a process's environment (kept for later
   * starts). `postgres` too: an immediate shutdown (as if it crashed; `fast` with `postgresMode`) then a start on the
   * same data directory and port.
   */
  restart(part: SystemPart | 'postgres', opts?: RestartOptions): Promise<void>;
  stop(): Promise<void>;
}

/** The parts of a throwaway system a fault test can take down and bring back. */
export type SystemPart = 'worker' | 'api' | 'mail' | 'temporal';

/** One restartable part: how to end it and how to start it again as it was. */
interface Restartable { down: boolean; kill(signal: NodeJS.Signals): Promise<void>; start(env?: NodeJS.ProcessEnv): Promise<void> }

/** A service with a stop function (the mail catcher, Temporal), started again by `launch`; stopped with the group. */
async function restartableService(group: ProcessGroup, launch: () => Promise<{ stop(): Promise<void> }>): Promise<Restartable> {
  let running: { stop(): Promise<void> } | undefined = await launch();
  group.onStop(async () => { await running?.stop(); });
  const part: Restartable = {
    down: false,
    async kill() { part.down = true; await running?.stop(); running = undefined; },
    async start() { running = await launch(); part.down = false; },
  };
  return part;
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
  /** How long the API may take to answer its health check (60 s; longer on a loaded machine). */
  readyTimeoutMs?: number;
  /** Node's flags for the worker and for the API (a benchmark's `--trace-gc`, say); Node refuses some in NODE_OPTIONS. */
  nodeFlags?: (part: 'worker' | 'api') => string[];
  /** PostgreSQL's server flags (`-c name=value`), e.g. a benchmark's `shared_preload_libraries=pg_stat_statements`. */
  postgresFlags?: string[];
}): Promise<ThrowawaySystem> {
  const group = new ProcessGroup();
  try {
    // A directory of its own: when run as root, PostgreSQL runs as another user, who cannot enter workDir.
    const pgDir = mkdtempSync(join(tmpdir(), 'precharge-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort(), database: opts.database, persistent: false, flags: opts.postgresFlags });
    group.onStop(pg.stop);
    const temporalPort = await freePort();
    const temporal = { address: `127.0.0.1:${temporalPort}` };
    const parts = new Map<SystemPart, Restartable>();
    parts.set('temporal', await restartableService(group, () => startTemporalDevServer({ cli: opts.temporalCli, port: temporalPort, dbFile: opts.temporalDbFile })));
    const caught: CaughtMessage[] = [];
    const mailPorts = { smtpPort: await freePort(), webPort: await freePort() };
    const mail = { smtpUrl: `smtp://127.0.0.1:${mailPorts.smtpPort}?ignoreTLS=true`, webUrl: `http://127.0.0.1:${mailPorts.webPort}` };
    parts.set('mail', await restartableService(group, () => startMailCatcher({ ...mailPorts, inbox: caught })));
    const migrations = await createDataSource(pg.url, 'precharge-migrate').initialize();
    await migrations.runMigrations({ transaction: 'each' });
    await migrations.destroy();

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    // Several throwaway systems may run on one machine: each worker's metrics endpoint gets a free port.
    const workerMetrics = `127.0.0.1:${await freePort()}`;
    const jwtSecret = randomBytes(32).toString('hex');
    const env: NodeJS.ProcessEnv = {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: pg.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'default',
      SMTP_URL: mail.smtpUrl, JWT_SECRET: jwtSecret, SESSION_SECRET: randomBytes(32).toString('hex'), PAYLOAD_KEYS: `local:${randomBytes(32).toString('base64')}`,
      PUBLIC_URL: baseUrl, LOG_LEVEL: 'warn', WORKER_METRICS_ADDRESS: workerMetrics,
      // Benchmarks and the API fuzzer: webhooks only ever to this machine.
      WEBHOOK_DESTINATIONS: 'loopback', ...opts.env,
    };
    const log = join(opts.workDir, 'system.log');
    const logStream = createWriteStream(log);
    const children = new Map<SystemPart, ChildProcess>();
    const launch = (part: 'worker' | 'api', script: string, extra: NodeJS.ProcessEnv = {}) => {
      // PRECHARGE_CPU_PROF_DIR: each server process writes a V8 CPU profile there when it exits (for the benchmarks).
      const profile = process.env.PRECHARGE_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PRECHARGE_CPU_PROF_DIR}`] : [];
      const child = spawn(process.execPath, [...profile, ...(opts.nodeFlags?.(part) ?? []), join(ROOT, 'dist', script)], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.pipe(logStream, { end: false });
      child.stderr?.pipe(logStream, { end: false });
      // A process a fault test ended on purpose is not reported.
      child.once('exit', (code) => { if (!group.stopping && !parts.get(part)?.down) opts.onExit?.(script, code); });
      children.set(part, group.addChild(child));
    };
    const apiUrl = `${baseUrl}/api`;
    const healthy = () => waitFor('API', async () => { const res = await fetch(`${apiUrl}/health`); if (!res.ok) throw new Error(`health ${res.status}`); }, opts.readyTimeoutMs ?? 180_000, 300);
    for (const [part, script] of [['worker', 'worker/main.js'], ['api', 'api/main.js']] as const) {
      launch(part, script);
      let partEnv: NodeJS.ProcessEnv = {};
      const restartable: Restartable = {
        down: false,
        async kill(signal) {
          restartable.down = true;
          const child = children.get(part)!;
          if (child.exitCode !== null || child.signalCode !== null) return;
          await new Promise((r) => { child.once('exit', r); child.kill(signal); });
        },
        // The API is back when it answers its health check; a worker, once it polls (Temporal holds its tasks till then).
        async start(extra?: NodeJS.ProcessEnv) { partEnv = { ...partEnv, ...extra }; launch(part, script, partEnv); restartable.down = false; if (part === 'api') await healthy(); },
      };
      parts.set(part, restartable);
    }
    await healthy();
    const partOf = (name: SystemPart) => {
      const part = parts.get(name);
      if (!part) throw new Error(`no part ${name} in this system`);
      if (name === 'temporal' && !opts.temporalDbFile) throw new Error('Temporal restarts only on a durable store: start the system with temporalDbFile');
      return part;
    };
    return {
      baseUrl, apiUrl, databaseUrl: pg.url, postgresDir: pgDir, temporalAddress: temporal.address, jwtSecret, mailUrl: mail.webUrl, log, workerMetricsUrl: `http://${workerMetrics}/metrics`,
      get api() { return children.get('api')!; },
      get worker() { return children.get('worker')!; },
      kill: (name, signal = 'SIGKILL') => partOf(name).kill(signal),
      start: (name) => partOf(name).start(),
      async restart(name, o = {}) {
        if (name === 'postgres') return pg.restart(o.postgresMode ?? 'immediate', o.whileDown);
        await partOf(name).kill(o.signal ?? 'SIGKILL');
        await o.whileDown?.();
        await partOf(name).start(o.env);
      },
      stop: () => group.stopAll(),
    };
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
