import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The email ledger becomes an outbox (activities/mail/outbox.ts, worker/mail-dispatcher.ts): each row holds its rendered
 * message, when it is next due, and the lease of the dispatcher sending it. Rows sent before keep no message; a pending
 * one from before takes its message when its activity is retried.
 */
export class EmailOutbox1766200000000 implements MigrationInterface {
  name = 'EmailOutbox1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbound_emails ADD COLUMN message jsonb, ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(), ADD COLUMN lease_until timestamptz`);
    await q.query(`CREATE INDEX outbound_emails_due_idx ON outbound_emails (next_attempt_at) WHERE status = 'pending' AND message IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbound_emails_due_idx');
    await q.query('ALTER TABLE outbound_emails DROP COLUMN message, DROP COLUMN next_attempt_at, DROP COLUMN lease_until');
  }
}
