import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each scheduled sending of the monthly RASSO pack or the quarterly report (activities/reports): when it was due, the
 * meeting it was for, and the versions of the report delivery rules and the policy it went under. The emails
 * themselves are outbound_emails rows keyed `report:<kind>:<period>:<person>`.
 */
export class ReportDeliveries1765500000000 implements MigrationInterface {
  name = 'ReportDeliveries1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_deliveries (
        kind text NOT NULL CHECK (kind IN ('monthly', 'quarterly')),
        period_id text NOT NULL,
        send_on date NOT NULL,
        meeting_at timestamptz,
        held_until_period_end boolean NOT NULL DEFAULT false,
        rules_version text NOT NULL,
        policy_version text NOT NULL,
        recipients integer NOT NULL,
        sent integer NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, period_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE report_deliveries');
  }
}
