import { fork } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root';
import type { SystemPart } from './system';
import type { Command, ControllerMessage, SystemOptions } from './system-controller';

export type SystemInfo = Extract<ControllerMessage, { type: 'ready' }>['system'];

export interface SystemProcess extends SystemInfo {
  kill(part: SystemPart, signal?: NodeJS.Signals): Promise<void>;
  start(part: SystemPart): Promise<void>;
  restart(part: SystemPart, signal?: NodeJS.Signals): Promise<void>;
  /** A worker or API process that ended without being asked to (its script and code), if any. */
  unexpectedExit(): string | undefined;
  stop(): Promise<void>;
}

/**
 * A throwaway system (scripts/stack/system.ts) run in a process of its own from dist/ (build it first), driven over
 * IPC: for test runners that cannot load the stack in their own process. The same parts can be killed and restarted.
 */
export async function startSystemProcess(opts: SystemOptions): Promise<SystemProcess> {
  const child = fork(join(REPO_ROOT, 'dist', 'scripts', 'stack', 'system-controller.js'), [], {
    env: { ...process.env, PRECHARGE_SYSTEM_OPTIONS: JSON.stringify(opts) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exited: string | undefined;
  let next = 0;
  const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  const info = await new Promise<SystemInfo>((resolveReady, rejectReady) => {
    child.on('message', (message: ControllerMessage) => {
      if (message.type === 'ready') resolveReady(message.system);
      else if (message.type === 'failed') rejectReady(new Error(`the system did not start: ${message.error}`));
      else if (message.type === 'exited') exited ??= `${message.script} exited (${message.code})`;
      else if (message.type === 'done') {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiting?.reject(new Error(message.error)); else waiting?.resolve();
      }
    });
    child.once('exit', (code) => {
      rejectReady(new Error(`the system's controller exited (${code}) before it was ready`));
      for (const waiting of pending.values()) waiting.reject(new Error(`the system's controller exited (${code})`));
    });
  });
  const command = (message: Command) => new Promise<void>((resolveDone, rejectDone) => {
    const id = (next += 1);
    pending.set(id, { resolve: resolveDone, reject: rejectDone });
    child.send({ ...message, id });
  });
  return {
    ...info,
    kill: (part, signal = 'SIGKILL') => command({ command: 'kill', part, signal }),
    start: (part) => command({ command: 'start', part }),
    restart: (part, signal = 'SIGKILL') => command({ command: 'restart', part, signal }),
    unexpectedExit: () => exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      await command({ command: 'stop' }).catch(() => undefined);
      await gone;
    },
  };
}
