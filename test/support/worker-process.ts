import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The real worker (worker/main.ts) as a process of its own, against the run's stack (the environment the tests were
 * given, with `env` on top): what a fault test kills with SIGKILL, mid-work, the way a host or a container dies.
 */
export function startWorkerProcess(env: Record<string, string> = {}): { process: ChildProcess; ready: Promise<void>; kill(): Promise<void> } {
  const root = join(__dirname, '..', '..');
  const child = spawn(process.execPath, ['--require', join(__dirname, 'ts-register.js'), join(root, 'worker', 'main.ts')], {
    // No metrics endpoint unless a test asks for one (WORKER_METRICS_ADDRESS in `env`): several workers share the machine.
    cwd: root, env: { ...process.env, LOG_LEVEL: 'info', WORKER_METRICS_ADDRESS: 'off', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker started')) resolve();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it started:\n${output.slice(-2000)}`)));
  });
  return {
    process: child,
    ready,
    kill: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
  };
}
