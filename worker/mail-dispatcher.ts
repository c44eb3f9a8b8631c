import { Duration } from 'luxon';
import type { DataSource } from 'typeorm';
import { MAIL_CHANNEL, sendableMessage, type StoredMessage } from '../activities/mail/outbox';
import type { MailSender } from '../activities/mail/notify';
import type { Environment } from '../infra/config';
import type { Logger } from '../infra/logger';
import { backoffMs, OutboxDispatcher } from './outbox-dispatcher';

export interface MailDispatcherSettings {
  /** Messages handed to the relay at once (the SMTP pool's connections). */
  concurrency: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** How long a claim holds a message: longer than the SMTP client's connection and socket timeouts together. */
  leaseMs: number;
}

/** The dispatcher's settings from the environment (MAIL_CONCURRENCY, MAIL_RETRY_INITIAL, MAIL_RETRY_MAX). */
export function mailSettings(config: Pick<Environment, 'MAIL_CONCURRENCY' | 'MAIL_RETRY_INITIAL' | 'MAIL_RETRY_MAX'>): MailDispatcherSettings {
  return {
    concurrency: config.MAIL_CONCURRENCY,
    retryInitialMs: Duration.fromISO(config.MAIL_RETRY_INITIAL).toMillis(),
    retryMaxMs: Duration.fromISO(config.MAIL_RETRY_MAX).toMillis(),
    // Longer than the SMTP client's connection and socket timeouts together, so a claim outlives a slow send.
    leaseMs: 60_000,
  };
}

interface Claimed { key: string; message_id: string; message: StoredMessage; attempts: number; template: string; case_id: string | null }

/**
 * Sends the email outbox (activities/mail/outbox.ts) through the relay, from the worker process. Each row is one message
 * to one person; a claim leases it and counts the attempt before it starts, a refusal counts a failure and sets the next
 * attempt (exponential back-off with jitter), and a relay's acceptance marks it sent. Nothing is lost while the relay is
 * down: the rows wait. What no SMTP client can promise across a crash: a worker killed after the relay accepted a message
 * and before the row is marked sent sends it again when the lease runs out. Such a copy is never silent: it is the same
 * message (its Message-ID comes from the key, so a mailbox that drops repeated Message-IDs shows it once), and it is on
 * record, since on a sent row `attempts - failures - 1` counts the attempts that ended without an answer: the most copies
 * that can have gone beyond the first. `npm run test:faults` checks the copies a mail catcher receives against it.
 */
export class MailDispatcher extends OutboxDispatcher<Claimed> {
  private readonly settings: MailDispatcherSettings;

  constructor(private readonly deps: { dataSource: DataSource; databaseUrl: string; mailer: MailSender; logger: Logger; settings: MailDispatcherSettings }) {
    const { settings } = deps;
    super({
      name: 'mail', dataSource: deps.dataSource, databaseUrl: deps.databaseUrl, channel: MAIL_CHANNEL, logger: deps.logger,
      concurrency: settings.concurrency, pollMs: Math.min(1000, Math.max(50, Math.floor(settings.retryInitialMs / 2))),
    });
    this.settings = settings;
  }

  protected async claim(limit: number): Promise<Claimed[]> {
    return (await this.deps.dataSource.query(
      // A SELECT over the UPDATE: TypeORM answers a bare UPDATE with [rows, count].
      `WITH leased AS (
         UPDATE outbound_emails o SET lease_until = now() + make_interval(secs => $2::double precision / 1000), attempts = o.attempts + 1
         FROM (SELECT key FROM outbound_emails
                WHERE status = 'pending' AND message IS NOT NULL AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
         WHERE o.key = due.key
         RETURNING o.key, o.message_id, o.message, o.attempts, o.template, o.case_id
       ) SELECT * FROM leased`,
      [limit, this.settings.leaseMs],
    )) as Claimed[];
  }

  protected logFields(row: Claimed): Record<string, unknown> {
    return { caseId: row.case_id, template: row.template };
  }

  protected async deliver(row: Claimed): Promise<void> {
    const { dataSource, mailer, logger } = this.deps;
    try {
      await mailer.send(sendableMessage(row.message, row.message_id));
    } catch (err) {
      const wait = backoffMs(row.attempts, this.settings.retryInitialMs, this.settings.retryMaxMs);
      await dataSource.query(
        `UPDATE outbound_emails SET failures = failures + 1, lease_until = NULL, next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
         WHERE key = $1 AND status = 'pending'`,
        [row.key, wait],
      );
      // The relay's answer, never the message: it may name the recipient's address.
      logger.warn({ ...this.logFields(row), attempts: row.attempts, retryInMs: wait, error: (err as { code?: string }).code ?? 'send failed' }, 'email not accepted by the relay; will retry');
      return;
    }
    await dataSource.query(`UPDATE outbound_emails SET status = 'sent', sent_at = now(), lease_until = NULL WHERE key = $1`, [row.key]);
    logger.info(this.logFields(row), 'email sent');
  }
}
