import type { ChildProcess } from 'node:child_process';

/**
 * What a launcher started: child processes (worker, API) and services with a stop function (PostgreSQL,
 * Temporal, the mail catcher). Stopping ends the children first, so they drain against live services, then the
 * services newest first. Stopping twice is a no-op.
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
    for (const child of this.children) child.kill('SIGTERM');
    // A child that already ended, by exiting or by a signal (exitCode stays null then), sends no further 'exit'.
    await Promise.all(this.children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    for (const stop of [...this.stops].reverse()) await stop().catch(() => undefined);
  }
}
