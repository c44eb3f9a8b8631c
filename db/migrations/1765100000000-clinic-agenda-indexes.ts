import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A clinic's agenda looks, for every open case of a unit, at its open actions, its other items by kind, its bail clocks
 * and its last victim contact and Early Advice request (activities/clinics/agenda.ts). Without these, each part read
 * all of case_items or the whole timeline of each case (npm run bench:agenda: 5,000 open cases). Each index is partial
 * to the few rows the agenda asks about, so the writes that keep them are few too.
 */
export class ClinicAgendaIndexes1765100000000 implements MigrationInterface {
  name = 'ClinicAgendaIndexes1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX case_items_open_actions_idx ON case_items (case_id, due_at) WHERE kind = 'action' AND status = 'open'`);
    await q.query(`CREATE INDEX case_items_by_kind_idx ON case_items (kind, case_id) WHERE kind IN ('early-advice', 'action-plan', 'submission')`);
    await q.query(`CREATE INDEX case_events_victim_contact_idx ON case_events (case_id, occurred_at) WHERE type = 'victim-contact-recorded'`);
    await q.query(`CREATE INDEX case_events_early_advice_requested_idx ON case_events (case_id) WHERE type = 'early-advice-requested'`);
    await q.query(`CREATE INDEX case_clocks_running_bail_idx ON case_clocks (due_at) WHERE name = 'bail.expiry' AND status = 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['case_clocks_running_bail_idx', 'case_events_early_advice_requested_idx', 'case_events_victim_contact_idx', 'case_items_by_kind_idx', 'case_items_open_actions_idx']) {
      await q.query(`DROP INDEX ${index}`);
    }
  }
}
