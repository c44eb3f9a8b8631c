import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pre-charge case progression clinics: each unit's schedule (a recurrence in its time zone), the sittings (one row per
 * sitting, scheduled or ad hoc, kept whatever later happens to its schedule), each sitting's agenda (a case, why it is
 * there, and what the clinic decided), and referrals of a case to the next clinic: by a supervisor, or by the action
 * ladder's clinic step. Every row carries the
 * force it belongs to, like the other records.
 */
export class Clinics1765000000000 implements MigrationInterface {
  name = 'Clinics1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clinic_schedules (
        id uuid PRIMARY KEY,
        force_id text NOT NULL REFERENCES forces(id),
        unit text NOT NULL REFERENCES units(id),
        first_sitting_at text NOT NULL,
        timezone text NOT NULL,
        rrule text NOT NULL,
        duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 1440),
        agenda_lead_time text NOT NULL,
        liaison_id uuid REFERENCES people(id),
        location text,
        status text NOT NULL CHECK (status IN ('active', 'paused')),
        revision integer NOT NULL DEFAULT 0,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX clinic_schedules_unit_idx ON clinic_schedules (unit)`);
    await q.query(`CREATE INDEX clinic_schedules_force_idx ON clinic_schedules (force_id)`);
    await q.query(`
      CREATE TABLE clinics (
        id uuid PRIMARY KEY,
        force_id text NOT NULL REFERENCES forces(id),
        unit text NOT NULL REFERENCES units(id),
        schedule_id uuid REFERENCES clinic_schedules(id),
        occurrence timestamptz,
        sitting_at timestamptz NOT NULL,
        duration_minutes integer NOT NULL,
        liaison_id uuid REFERENCES people(id),
        location text,
        status text NOT NULL CHECK (status IN ('scheduled', 'agenda-built', 'held', 'cancelled')),
        sequence integer NOT NULL DEFAULT 0,
        policy_version text NOT NULL,
        agenda_version text,
        agenda_built_at timestamptz,
        workflow_id text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One sitting per occurrence of a schedule, whatever retries the schedule's workflow makes.
    await q.query(`CREATE UNIQUE INDEX clinics_schedule_occurrence_key ON clinics (schedule_id, occurrence) WHERE schedule_id IS NOT NULL`);
    await q.query(`CREATE INDEX clinics_unit_sitting_idx ON clinics (unit, sitting_at)`);
    await q.query(`CREATE INDEX clinics_force_idx ON clinics (force_id)`);
    await q.query(`
      CREATE TABLE clinic_agenda_items (
        clinic_id uuid NOT NULL REFERENCES clinics(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        force_id text NOT NULL REFERENCES forces(id),
        officer_id uuid NOT NULL,
        position integer NOT NULL,
        reasons jsonb NOT NULL,
        outcome text CHECK (outcome IN ('continue', 'amend-plan', 'ready-to-submit', 'consider-nfa', 'escalate')),
        outcome_document_id uuid,
        outcome_by text,
        outcome_at timestamptz,
        PRIMARY KEY (clinic_id, case_id)
      )`);
    await q.query(`CREATE INDEX clinic_agenda_items_case_idx ON clinic_agenda_items (case_id)`);
    await q.query(`
      CREATE TABLE clinic_referrals (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        force_id text NOT NULL REFERENCES forces(id),
        kind text NOT NULL CHECK (kind IN ('referred', 'escalated')),
        dedupe_key text NOT NULL UNIQUE,
        referred_by text NOT NULL,
        document_id uuid,
        clock_key text,
        clinic_id uuid REFERENCES clinics(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The agenda looks for a case's referrals not yet taken up by a clinic.
    await q.query(`CREATE INDEX clinic_referrals_open_idx ON clinic_referrals (case_id) WHERE clinic_id IS NULL`);
    // A case on a clinic's agenda is a task in each attendee's inbox, due at the sitting.
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('reminder', 'escalation', 'clinic'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM tasks WHERE kind = 'clinic'`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('reminder', 'escalation'))`);
    await q.query(`DROP TABLE clinic_referrals`);
    await q.query(`DROP TABLE clinic_agenda_items`);
    await q.query(`DROP TABLE clinics`);
    await q.query(`DROP TABLE clinic_schedules`);
  }
}
