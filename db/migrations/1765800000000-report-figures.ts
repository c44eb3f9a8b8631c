import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monthly pack and the quarterly report (api/reports/report-figures.ts).
 *
 * Indexes: the figures read the timeline by event type and time (the events of a trend's periods of the kinds each
 * figure counts), the Victims' Code contacts that discharge a duty by time, a case's events of the kinds they look up by
 * case, actions by completion and a unit's cases by report time. Without them each report read the whole of
 * case_events and case_items (npm run bench:reports: 100,000 cases, 2.2 million events).
 *
 * A cache of each police unit's figures for each complete period (`report_unit_periods`): a complete month or quarter
 * changes only when something is written back-dated into it (an import, a case registered with an earlier report
 * time), so a report computes only the periods and units it has not computed before. Triggers keep it true: a write of
 * a timeline event or a case with a time before the current London month began (a complete period's) deletes the
 * unit's cached periods that end after that time, and raises the unit's epoch (`report_unit_epochs`), which a report
 * holds (FOR SHARE) while it stores what it computed and compares with the epoch it read before computing, so figures
 * computed from a snapshot older than such a write are never stored. Live writes (a transition now) touch neither.
 */
/** The event kinds indexed by case for the reports, as they were when this migration was written. */
export const REPORT_LOOKUP_EVENTS = [
  'early-advice-requested', 'early-advice-endorsed', 'early-advice-accepted', 'early-advice-rejected', 'early-advice-recorded', 'submission-approved',
  'file-submitted', 'further-action-plan', 'victim-review-requested', 'action-completed', 'due-date-changed', 'clock-paused', 'clock-resumed',
  'clinic-outcome-recorded', 'action-plan-reviewed', 'charge-authorised', 'cps-nfa', 'police-nfa', 'admin-finalised', 'case-closed',
  'bail-recorded', 'bail-extended', 'released-under-investigation', 'released-from-custody',
];

export class ReportFigures1765800000000 implements MigrationInterface {
  name = 'ReportFigures1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX case_events_type_time_idx ON case_events (type, occurred_at)`);
    await q.query(`CREATE INDEX case_events_duty_contact_idx ON case_events (occurred_at)
      WHERE type = 'victim-contact-recorded' AND (data->>'kind') IN ('support-referral', 'key-event-update', 'nfa-notification')`);
    // A case's events of the kinds the figures look up case by case or rebuild states from (CASE_LOOKUP_EVENTS in
    // api/reports/figures-sql.ts): everything but the victim contacts, most of the timeline.
    await q.query(`CREATE INDEX case_events_case_type_idx ON case_events (case_id, type) WHERE type IN (${REPORT_LOOKUP_EVENTS.map((t) => `'${t}'`).join(', ')})`);
    // Actions completed, by when (the ISO text the projection writes): those completed within a report's range.
    await q.query(`CREATE INDEX case_items_done_actions_idx ON case_items ((data->>'completedAt')) WHERE kind = 'action' AND status = 'done'`);
    // A unit's cases by report time: the cases reported in a period, and the case list's pages (newest first).
    await q.query(`CREATE INDEX cases_unit_reported_idx ON cases (unit, reported_at DESC, id)`);

    await q.query(`
      CREATE TABLE report_unit_periods (
        kind text NOT NULL CHECK (kind IN ('monthly', 'quarterly')),
        period_id text NOT NULL,
        unit text NOT NULL,
        period_to timestamptz NOT NULL,
        -- The figures' definitions and calendar the facts were computed under: another version is not read.
        fingerprint text NOT NULL,
        facts jsonb NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, period_id, unit, fingerprint)
      )`);
    await q.query(`CREATE INDEX report_unit_periods_unit_idx ON report_unit_periods (unit, period_to)`);
    await q.query(`CREATE TABLE report_unit_epochs (unit text PRIMARY KEY, epoch bigint NOT NULL DEFAULT 0)`);

    // The first instant of the current London month: times before it are in complete periods.
    await q.query(`
      CREATE FUNCTION report_settled_before() RETURNS timestamptz LANGUAGE sql STABLE AS $$
        SELECT date_trunc('month', now() AT TIME ZONE 'Europe/London') AT TIME ZONE 'Europe/London'
      $$`);
    // Each unit touched back-dated: its epoch raised (waiting for a report storing its figures), then, in a statement
    // of its own (a fresh snapshot, which sees what that report stored), its cached periods after the time deleted.
    await q.query(`
      CREATE FUNCTION report_forget(touched jsonb) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE t record;
      BEGIN
        FOR t IN SELECT key AS unit, value #>> '{}' AS since FROM jsonb_each(touched) ORDER BY key LOOP
          INSERT INTO report_unit_epochs AS e (unit, epoch) VALUES (t.unit, 1) ON CONFLICT (unit) DO UPDATE SET epoch = e.epoch + 1;
        END LOOP;
        FOR t IN SELECT key AS unit, value #>> '{}' AS since FROM jsonb_each(touched) LOOP
          DELETE FROM report_unit_periods WHERE unit = t.unit AND period_to > t.since::timestamptz;
        END LOOP;
      END $$`);
    await q.query(`
      CREATE FUNCTION report_forget_events() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE touched jsonb;
      BEGIN
        SELECT jsonb_object_agg(x.unit, x.since) INTO touched FROM (
          SELECT c.unit, min(a.occurred_at) AS since FROM added a JOIN cases c ON c.id = a.case_id
          WHERE a.occurred_at < report_settled_before() GROUP BY c.unit
        ) x;
        IF touched IS NOT NULL THEN PERFORM report_forget(touched); END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION report_forget_cases() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE touched jsonb;
      BEGIN
        SELECT jsonb_object_agg(x.unit, x.since) INTO touched FROM (
          SELECT a.unit, min(a.reported_at) AS since FROM added a WHERE a.reported_at < report_settled_before() GROUP BY a.unit
        ) x;
        IF touched IS NOT NULL THEN PERFORM report_forget(touched); END IF;
        RETURN NULL;
      END $$`);
    // A case moved to another unit, or its report time changed: both units' cached periods, all of them.
    await q.query(`
      CREATE FUNCTION report_forget_moved_case() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.unit IS DISTINCT FROM OLD.unit OR NEW.reported_at IS DISTINCT FROM OLD.reported_at THEN
          PERFORM report_forget(jsonb_build_object(OLD.unit, '-infinity', NEW.unit, '-infinity'));
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER case_events_report_forget AFTER INSERT ON case_events REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION report_forget_events()`);
    await q.query(`CREATE TRIGGER cases_report_forget AFTER INSERT ON cases REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION report_forget_cases()`);
    await q.query(`CREATE TRIGGER cases_report_forget_moved AFTER UPDATE OF unit, reported_at ON cases FOR EACH ROW EXECUTE FUNCTION report_forget_moved_case()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER cases_report_forget_moved ON cases');
    await q.query('DROP TRIGGER cases_report_forget ON cases');
    await q.query('DROP TRIGGER case_events_report_forget ON case_events');
    for (const fn of ['report_forget_moved_case()', 'report_forget_cases()', 'report_forget_events()', 'report_forget(jsonb)', 'report_settled_before()']) await q.query(`DROP FUNCTION ${fn}`);
    await q.query('DROP TABLE report_unit_epochs');
    await q.query('DROP TABLE report_unit_periods');
    await q.query('DROP INDEX cases_unit_reported_idx');
    await q.query('DROP INDEX case_items_done_actions_idx');
    await q.query('DROP INDEX case_events_case_type_idx');
    await q.query('DROP INDEX case_events_duty_contact_idx');
    await q.query('DROP INDEX case_events_type_time_idx');
  }
}
