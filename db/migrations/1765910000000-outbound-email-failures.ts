import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The attempts at an email that failed (activities/mail/outbox.ts), beside those started: on a sent row, the attempts
 * neither failed nor the one that succeeded are the ones a crash ended without an answer, each a copy that may have gone.
 */
export class OutboundEmailFailures1765910000000 implements MigrationInterface {
  name = 'OutboundEmailFailures1765910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbound_emails ADD COLUMN failures integer NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbound_emails DROP COLUMN failures');
  }
}
