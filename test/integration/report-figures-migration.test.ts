import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrations } from '../../db/data-source';
import { entities } from '../../db/entities';
import { CASE_LOOKUP_EVENTS } from '../../api/reports/figures-sql';
import { REPORT_LOOKUP_EVENTS, ReportFigures1765800000000 } from '../../db/migrations/1765800000000-report-figures';
import { scratchDatabase } from '../support/scratch-database';

/**
 * The report cache's triggers: a back-dated write forgets the unit's cached periods after its time and raises the
 * unit's epoch; a live write (now) touches neither; another unit's cache is kept. And the migration reverts cleanly.
 */
describe('the report figures migration', () => {
  it('indexes by case every event kind the figures look up by case', () => {
    expect(REPORT_LOOKUP_EVENTS).toEqual(expect.arrayContaining(CASE_LOOKUP_EVENTS));
  });

  it('forgets cached periods on back-dated writes only, and reverts to the schema before it', async () => {
    const scratch = await scratchDatabase('precharge_report_figures');
    const upTo = migrations.indexOf(ReportFigures1765800000000) + 1;
    const db = await new DataSource({ type: 'postgres', url: scratch.url, entities, migrations: migrations.slice(0, upTo), migrationsTransactionMode: 'each' }).initialize();
    const objects = async () => ((await db.query(`
      SELECT relname AS name FROM pg_class WHERE relname IN ('report_unit_periods', 'report_unit_epochs', 'case_events_type_time_idx', 'case_events_duty_contact_idx', 'case_events_case_type_idx', 'case_items_done_actions_idx', 'cases_unit_reported_idx')
      UNION ALL SELECT tgname FROM pg_trigger WHERE tgname LIKE '%report_forget%'
      UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE 'report_%' ORDER BY 1`)) as { name: string }[]).map((r) => r.name);
    try {
      await db.runMigrations();
      await db.query(`INSERT INTO forces (id, code, name) VALUES ('mig-force', '39', 'Migration force')`);
      await db.query(`INSERT INTO units (id, name, organisation, force_id) VALUES ('mig-a', 'A', 'police', 'mig-force'), ('mig-b', 'B', 'police', 'mig-force')`);
      const cache = async (rows: [string, string, string][]) => {
        await db.query('DELETE FROM report_unit_periods');
        for (const [unit, period, to] of rows) {
          await db.query(`INSERT INTO report_unit_periods (kind, period_id, unit, period_to, fingerprint, facts) VALUES ('monthly', $1, $2, $3, 'f', '[]')`, [period, unit, to]);
        }
      };
      const left = async () => ((await db.query(`SELECT unit || ' ' || period_id AS k FROM report_unit_periods ORDER BY 1`)) as { k: string }[]).map((r) => r.k);
      const epoch = async (unit: string) => ((await db.query('SELECT epoch::int AS e FROM report_unit_epochs WHERE unit = $1', [unit])) as { e: number }[])[0]?.e ?? 0;
      const months: [string, string, string][] = [['mig-a', '2024-01', '2024-02-01T00:00:00Z'], ['mig-a', '2024-02', '2024-03-01T00:00:00Z'], ['mig-b', '2024-01', '2024-02-01T00:00:00Z']];
      await cache(months);

      // A case registered now, reported on 10 February 2024: unit A's February goes, its January and unit B's stay.
      const caseId = randomUUID();
      const officer = randomUUID();
      await db.query(`INSERT INTO people (id, name, email, roles, organisation, rank, unit, force_id) VALUES ($1, 'DC Migration', 'dc.migration@example.test', '{officer}', 'police', 'DC', 'mig-a', 'mig-force')`, [officer]);
      await db.query(
        `INSERT INTO cases (id, urn, stage, unit, force_id, officer_id, offence_type, penetrative, committed_from, reported_at, enhanced_rights, suspect_count, policy_version, workflow_id, last_event_seq)
         VALUES ($1, '39XX0000124', 'investigating', 'mig-a', 'mig-force', $2, 'rape', true, '2024-02-01', '2024-02-10T10:00:00Z', false, 1, 'v', 'w', 1)`, [caseId, officer]);
      expect(await left()).toEqual(['mig-a 2024-01', 'mig-b 2024-01']);
      expect(await epoch('mig-a')).toBe(1);

      // A timeline event back-dated into January: unit A's January goes too.
      await cache(months);
      await db.query(`INSERT INTO case_events (id, case_id, seq, type, data, occurred_at) VALUES ('w:2', $1, 2, 'police-nfa', '{}', '2024-01-15T10:00:00Z')`, [caseId]);
      expect(await left()).toEqual(['mig-b 2024-01']);
      expect(await epoch('mig-a')).toBe(2);

      // A live event (now) forgets nothing and leaves the epoch.
      await cache(months);
      await db.query(`INSERT INTO case_events (id, case_id, seq, type, data, occurred_at) VALUES ('w:3', $1, 3, 'victim-contact-recorded', '{}', now())`, [caseId]);
      expect(await left()).toEqual(['mig-a 2024-01', 'mig-a 2024-02', 'mig-b 2024-01']);
      expect(await epoch('mig-a')).toBe(2);

      // A case moved to unit B: both units' periods go.
      await db.query(`UPDATE cases SET unit = 'mig-b' WHERE id = $1`, [caseId]);
      expect(await left()).toEqual([]);

      await db.undoLastMigration();
      expect(await objects()).toEqual([]);
      await db.runMigrations();
      expect(await objects()).toEqual(['case_events_case_type_idx', 'case_events_duty_contact_idx', 'case_events_report_forget', 'case_events_type_time_idx', 'case_items_done_actions_idx', 'cases_report_forget', 'cases_report_forget_moved', 'cases_unit_reported_idx',
        'report_forget', 'report_forget_cases', 'report_forget_events', 'report_forget_moved_case', 'report_settled_before', 'report_unit_epochs', 'report_unit_periods']);
    } finally {
      await db.destroy();
      await scratch.drop();
    }
  });
});
