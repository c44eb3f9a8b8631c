import { type ChildProcess, spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { waitFor } from './ports';

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/** Custom search attributes: enums and opaque ids only, never personal data (Temporal stores them in plain text). */
export const SEARCH_ATTRIBUTES = { CaseStage: 'Keyword', CaseUnit: 'Keyword' } as const;

/**
 * Temporal's real dev server (the CLI's `server start-dev`). With `dbFile` the store is a SQLite file in WAL
 * mode, which keeps cases across restarts at in-memory speed; without it, memory (tests).
 */
export async function startTemporalDevServer(opts: DevServerOptions): Promise<RunningTemporal> {
  // The dev server picks free ports for its internal services when it starts; another process can take one
  // in between (seen with two servers starting at once), so an early crash is retried.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof EarlyExit)) throw err;
      console.warn(`[temporal] dev server exited during start-up (attempt ${attempt}); retrying`);
    }
  }
}

interface DevServerOptions { cli: string; port: number; uiPort?: number; dbFile?: string; logLevel?: string }

class EarlyExit extends Error {}

async function startOnce(opts: DevServerOptions): Promise<RunningTemporal> {
  const args = [
    'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--namespace', 'default',
    '--log-level', opts.logLevel ?? 'error',
    '--dynamic-config-value', 'frontend.enableServerVersionCheck=false',
    // One partition per task queue. The server's default of four spreads a busy queue over several matching hosts;
    // on one process it only makes tasks wait to be forwarded to a partition with a poller (bench:lifecycle, four
    // against one, run in turn: trivial workflows 42–51 → 54–70 a second, lifecycles 2.20–2.56 → 2.74–2.78).
    '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1',
    '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1',
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']),
    ...(opts.dbFile ? ['--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'] : []),
  ];
  const child: ChildProcess = spawn(opts.cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { if (stderr.length < 2000) stderr += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${opts.port}`;
  try {
    await waitFor('Temporal dev server', async () => {
      if (child.exitCode !== null) throw new EarlyExit(`exited with ${child.exitCode}: ${stderr.slice(0, 2000).trim()}`);
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
      } finally {
        await connection.close();
      }
    }, 60_000, 250);
  } catch (err) {
    child.kill('SIGKILL');
    throw child.exitCode !== null && child.exitCode !== undefined ? new EarlyExit((err as Error).message) : err;
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
