import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * NFA scrutiny panels (domain.md §2.11, §6.3): schedules, panels with their recorded sample (seed, rules' version,
 * strata with population and drawn counts), members, the sampled cases under pseudonymous labels (the case id stays
 * here, server-side), one review per member per case, referrals recommended to the unit's DCI, and learning actions.
 * Case parties gain optional contact details, so a pack can redact them as known details rather than by pattern only.
 */
export class ScrutinyPanels1765200000000 implements MigrationInterface {
  name = 'ScrutinyPanels1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE panel_schedules (
        id uuid PRIMARY KEY,
        force_id text NOT NULL REFERENCES forces(id),
        unit text REFERENCES units(id),
        first_sitting_at text NOT NULL,
        timezone text NOT NULL,
        rrule text NOT NULL,
        lead_time text NOT NULL,
        members uuid[] NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'paused')),
        revision integer NOT NULL DEFAULT 0,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX panel_schedules_force_idx ON panel_schedules (force_id)`);
    await q.query(`
      CREATE TABLE panels (
        id uuid PRIMARY KEY,
        force_id text NOT NULL REFERENCES forces(id),
        unit text REFERENCES units(id),
        schedule_id uuid REFERENCES panel_schedules(id),
        occurrence timestamptz,
        period_from timestamptz NOT NULL,
        period_to timestamptz NOT NULL CHECK (period_to > period_from),
        sitting_at timestamptz NOT NULL,
        seed text NOT NULL,
        requested_size integer CHECK (requested_size BETWEEN 1 AND 100),
        policy_version text NOT NULL,
        rules_version text,
        strata jsonb,
        status text NOT NULL CHECK (status IN ('convened', 'sampled', 'closed')),
        workflow_id text NOT NULL,
        created_by text NOT NULL,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX panels_schedule_occurrence_key ON panels (schedule_id, occurrence) WHERE schedule_id IS NOT NULL`);
    await q.query(`CREATE INDEX panels_force_idx ON panels (force_id, sitting_at)`);
    await q.query(`
      CREATE TABLE panel_members (
        panel_id uuid NOT NULL REFERENCES panels(id),
        person_id uuid NOT NULL REFERENCES people(id),
        PRIMARY KEY (panel_id, person_id)
      )`);
    await q.query(`CREATE INDEX panel_members_person_idx ON panel_members (person_id)`);
    await q.query(`
      CREATE TABLE panel_cases (
        panel_id uuid NOT NULL REFERENCES panels(id),
        label text NOT NULL,
        case_id uuid NOT NULL REFERENCES cases(id),
        stratum text NOT NULL,
        position integer NOT NULL,
        PRIMARY KEY (panel_id, label),
        UNIQUE (panel_id, case_id)
      )`);
    await q.query(`
      CREATE TABLE panel_reviews (
        id uuid PRIMARY KEY,
        panel_id uuid NOT NULL,
        label text NOT NULL,
        member_id uuid NOT NULL REFERENCES people(id),
        scores jsonb NOT NULL,
        themes text[] NOT NULL,
        comments text NOT NULL,
        referral_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (panel_id, label) REFERENCES panel_cases(panel_id, label),
        UNIQUE (panel_id, label, member_id)
      )`);
    await q.query(`
      CREATE TABLE panel_referrals (
        id uuid PRIMARY KEY,
        panel_id uuid NOT NULL REFERENCES panels(id),
        label text NOT NULL,
        review_id uuid NOT NULL UNIQUE REFERENCES panel_reviews(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        dci_id uuid REFERENCES people(id),
        outcome text,
        outcome_note text,
        outcome_by uuid,
        outcome_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE learning_actions (
        id uuid PRIMARY KEY,
        panel_id uuid NOT NULL REFERENCES panels(id),
        description text NOT NULL,
        owner_id uuid NOT NULL REFERENCES people(id),
        due_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        closing_note text,
        closed_by uuid,
        closed_at timestamptz,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX learning_actions_panel_idx ON learning_actions (panel_id)`);
    await q.query(`ALTER TABLE case_parties ADD COLUMN address text, ADD COLUMN phone text, ADD COLUMN email text`);
    // A referral a panel recommends is a task in the inbox of the unit's DCI (clock_key `panel-referral:<id>`).
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('reminder', 'escalation', 'clinic', 'panel-referral'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM tasks WHERE kind = 'panel-referral'`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('reminder', 'escalation', 'clinic'))`);
    await q.query(`ALTER TABLE case_parties DROP COLUMN address, DROP COLUMN phone, DROP COLUMN email`);
    await q.query(`DROP TABLE learning_actions`);
    await q.query(`DROP TABLE panel_referrals`);
    await q.query(`DROP TABLE panel_reviews`);
    await q.query(`DROP TABLE panel_cases`);
    await q.query(`DROP TABLE panel_members`);
    await q.query(`DROP TABLE panels`);
    await q.query(`DROP TABLE panel_schedules`);
  }
}
