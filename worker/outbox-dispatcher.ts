import { randomInt } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Logger } from '../infra/logger';

export interface OutboxDispatcherOptions {
  /** For logs and the notification connection's application name. */
  name: string;
  dataSource: DataSource;
  databaseUrl: string;
  /** The NOTIFY channel the transactions that queue a row signal on. */
  channel: string;
  concurrency: number;
  pollMs: number;
  logger: Logger;
}

/**
 * The loop both outboxes share (email, webhooks): it runs in the worker process, beside the Temporal worker, over
 * PostgreSQL alone, so a delivery costs a few statements rather than a workflow task or an activity on the Temporal
 * server (the scarce part on one machine). A subclass says what a claim leases and how one row is delivered; the loop
 * keeps up to `concurrency` deliveries in flight and wakes on NOTIFY from the transaction that queued a row, on a
 * finished delivery, and on a short poll (retries falling due, a lost notification). A claim is a lease, so a
 * dispatcher killed mid-delivery leaves its rows to any other (or itself restarted) once the lease runs out.
 */
export abstract class OutboxDispatcher<Row> {
  private running = false;
  private inFlight = 0;
  private wake: (() => void) | undefined;
  private listener: Client | undefined;
  private loop: Promise<void> | undefined;
  private readonly deliveries = new Set<Promise<void>>();

  protected constructor(protected readonly outbox: OutboxDispatcherOptions) {}

  /** Leases up to `limit` rows that are due. */
  protected abstract claim(limit: number): Promise<Row[]>;
  /** Delivers one leased row and records the result (a failure is recorded, not thrown). */
  protected abstract deliver(row: Row): Promise<void>;
  /** Identifiers that name a row in the logs (ids only: never an address or a payload). */
  protected abstract logFields(row: Row): Record<string, unknown>;

  async start(): Promise<void> {
    const { name, databaseUrl, channel, logger } = this.outbox;
    this.running = true;
    try {
      this.listener = new Client({ connectionString: databaseUrl, application_name: `precharge-${name}` });
      this.listener.on('error', (err) => logger.warn({ error: err.message }, `${name} dispatcher lost its notification connection; polling`));
      await this.listener.connect();
      this.listener.on('notification', () => this.wake?.());
      await this.listener.query(`LISTEN ${channel}`);
    } catch (err) {
      logger.warn({ error: (err as Error).message }, `${name} dispatcher could not listen for notifications; polling`);
    }
    this.loop = this.run();
  }

  /** Stops claiming, lets the deliveries in flight finish (each is bounded by its timeout), and closes its connection. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.deliveries]);
    await this.listener?.end().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { name, concurrency, pollMs, logger } = this.outbox;
    while (this.running) {
      let claimed: Row[] = [];
      const free = concurrency - this.inFlight;
      if (free > 0) {
        try { claimed = await this.claim(free); } catch (err) { logger.error({ error: (err as Error).message }, `${name} claim failed`); }
      }
      for (const row of claimed) {
        this.inFlight += 1;
        const delivery = this.deliver(row)
          .catch((err: Error) => logger.error({ ...this.logFields(row), error: err.message }, `${name} delivery could not be recorded`))
          .finally(() => { this.inFlight -= 1; this.deliveries.delete(delivery); this.wake?.(); });
        this.deliveries.add(delivery);
      }
      if (claimed.length && claimed.length === free) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done() { clearTimeout(timer); resolve(); }
        this.wake = done;
      });
      this.wake = undefined;
    }
  }
}

/** Exponential back-off with jitter: the n-th retry waits between half and all of initial × 2^(n-1), capped. */
export function backoffMs(attempts: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempts - 1, 30));
  return Math.floor(ceiling / 2 + randomInt(0, Math.max(1, Math.floor(ceiling / 2))));
}
