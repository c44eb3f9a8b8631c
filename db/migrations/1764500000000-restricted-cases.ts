import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Restricted cases (e.g. a suspect who is police staff): `cases.restricted` and the people named on it. Written by
 * the API like the directory; the worker's projection writes never touch either.
 */
export class RestrictedCases1764500000000 implements MigrationInterface {
  name = 'RestrictedCases1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN restricted boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE case_access_grants (
        case_id uuid NOT NULL REFERENCES cases(id),
        person_id uuid NOT NULL REFERENCES people(id),
        granted_by text NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, person_id)
      )`);
    // Lists ask "which restricted cases is this person named on".
    await q.query(`CREATE INDEX case_access_grants_person_idx ON case_access_grants (person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_access_grants`);
    await q.query(`ALTER TABLE cases DROP COLUMN restricted`);
  }
}
