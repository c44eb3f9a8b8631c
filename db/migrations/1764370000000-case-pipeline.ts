import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The case pipeline: what a case waits for and who holds it, its items (requests, plans, actions, submissions), and free-text documents. */
export class CasePipeline1764370000000 implements MigrationInterface {
  name = 'CasePipeline1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases
        ADD COLUMN waiting_for text NOT NULL DEFAULT '',
        ADD COLUMN holder_organisation text,
        ADD COLUMN holder_role text,
        ADD COLUMN holder_person_id uuid,
        ADD COLUMN referred_to_cps boolean NOT NULL DEFAULT false,
        ADD COLUMN outcome_code integer,
        ADD COLUMN next_due_at timestamptz,
        ADD COLUMN prosecutor_id uuid`);
    await q.query(`CREATE INDEX cases_next_due_idx ON cases (next_due_at)`);
    await q.query(`ALTER TABLE case_events ADD COLUMN document_id uuid`);
    await q.query(`
      CREATE TABLE case_items (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        kind text NOT NULL CHECK (kind IN ('early-advice', 'action-plan', 'action', 'submission')),
        parent_id uuid,
        status text NOT NULL,
        owner text,
        due_at timestamptz,
        decision_critical boolean,
        data jsonb NOT NULL DEFAULT '{}',
        updated_seq integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_items_case_idx ON case_items (case_id, kind)`);
    await q.query(`
      CREATE TABLE case_documents (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL,
        kind text NOT NULL,
        body jsonb NOT NULL,
        author_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_documents_case_idx ON case_documents (case_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_documents`);
    await q.query(`DROP TABLE case_items`);
    await q.query(`ALTER TABLE case_events DROP COLUMN document_id`);
    await q.query(`DROP INDEX cases_next_due_idx`);
    await q.query(`ALTER TABLE cases DROP COLUMN waiting_for, DROP COLUMN holder_organisation, DROP COLUMN holder_role, DROP COLUMN holder_person_id, DROP COLUMN referred_to_cps, DROP COLUMN outcome_code, DROP COLUMN next_due_at, DROP COLUMN prosecutor_id`);
  }
}
