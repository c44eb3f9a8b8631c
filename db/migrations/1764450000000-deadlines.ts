import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deadlines people can see and act on: each case's clocks, and the inbox of reminders and escalations. */
export class Deadlines1764450000000 implements MigrationInterface {
  name = 'Deadlines1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_clocks (
        key text PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        name text NOT NULL,
        subject_id uuid NOT NULL,
        started_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        explanation text NOT NULL,
        steps_fired integer NOT NULL DEFAULT 0,
        paused_since timestamptz,
        held_by text,
        acknowledged_at timestamptz,
        status text NOT NULL CHECK (status IN ('running', 'stopped')),
        updated_seq integer NOT NULL
      )`);
    await q.query(`CREATE INDEX case_clocks_case_idx ON case_clocks (case_id)`);
    await q.query(`CREATE INDEX case_clocks_due_idx ON case_clocks (status, due_at)`);
    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dedupe_key text NOT NULL UNIQUE,
        person_id uuid NOT NULL REFERENCES people(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        kind text NOT NULL CHECK (kind IN ('reminder', 'escalation')),
        clock_key text NOT NULL,
        clock_name text NOT NULL,
        step integer NOT NULL,
        due_at timestamptz NOT NULL,
        why text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'done')),
        delivery text NOT NULL CHECK (delivery IN ('immediate', 'daily-digest')),
        digest_sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX tasks_inbox_idx ON tasks (person_id, status)`);
    await q.query(`CREATE INDEX tasks_clock_idx ON tasks (clock_key)`);
    await q.query(`ALTER TABLE case_items DROP CONSTRAINT case_items_kind_check`);
    await q.query(`ALTER TABLE case_items ADD CONSTRAINT case_items_kind_check CHECK (kind IN ('early-advice', 'action-plan', 'action', 'submission', 'review'))`);
    await q.query(`ALTER TABLE people ADD COLUMN escalation_delivery text NOT NULL DEFAULT 'immediate' CHECK (escalation_delivery IN ('immediate', 'daily-digest'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE people DROP COLUMN escalation_delivery`);
    await q.query(`DELETE FROM case_items WHERE kind = 'review'`);
    await q.query(`ALTER TABLE case_items DROP CONSTRAINT case_items_kind_check`);
    await q.query(`ALTER TABLE case_items ADD CONSTRAINT case_items_kind_check CHECK (kind IN ('early-advice', 'action-plan', 'action', 'submission'))`);
    await q.query(`DROP TABLE tasks`);
    await q.query(`DROP TABLE case_clocks`);
  }
}
