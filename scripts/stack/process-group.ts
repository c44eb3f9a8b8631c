import type { ChildProcess } from 'node:child_process';

/**
 * What a launcher started: child processes (worker, API) and services with a stop function (PostgreSQL,
 * Temporal, the mail catcher). Stopping ends the children newest first, one after the other (the API before the
 * worker, so no command arrives at a draining worker), then the services newest first, so every process drains
 * against live services. Stopping twice is a no-op.
 */
export class ProcessGroup {
  private readonly children: ChildProcess[] = [];
  private readonly stops: (() => Promise<void>)[] = [];
  stopping = false;

  addChild(child: ChildProcess): ChildProcess {
    this.children.push(child);
    return child;
  }

  onStop(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  async stopAll(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const child of [...this.children].reverse()) {
      // A child that already ended, by exiting or by a signal (exitCode stays null then), sends no further 'exit'.
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    for (const stop of [...this.stops].reverse()) await stop().catch(() => undefined);
  }
}
