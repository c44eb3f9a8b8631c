import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The stages of a finished case (activities/clinics/agenda.ts FINISHED_STAGES), as they were when this migration was written. */
export const METRICS_FINISHED_STAGES = ['charged', 'nfa-confirmed', 'vrr-review', 'admin-finalised', 'scrutiny-sampled', 'closed'];

/**
 * The business gauges of GET /api/metrics (api/metrics/api-metrics.ts), read at every scrape: small partial indexes
 * over what is live, so a scrape counts open cases, open escalations and unsent emails without reading the cases,
 * tasks and outbound_emails of every case ever recorded. Overdue clocks use case_clocks_due_idx (status, due_at).
 */
export class MetricsIndexes1765950000000 implements MigrationInterface {
  name = 'MetricsIndexes1765950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX cases_open_stage_idx ON cases (stage) WHERE stage NOT IN (${METRICS_FINISHED_STAGES.map((s) => `'${s}'`).join(', ')})`);
    await q.query(`CREATE INDEX tasks_open_escalations_idx ON tasks (clock_key) WHERE kind = 'escalation' AND status = 'open'`);
    await q.query(`CREATE INDEX outbound_emails_pending_idx ON outbound_emails (attempts) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbound_emails_pending_idx`);
    await q.query(`DROP INDEX tasks_open_escalations_idx`);
    await q.query(`DROP INDEX cases_open_stage_idx`);
  }
}
