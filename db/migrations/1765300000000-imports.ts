import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports of a force's existing cases: the job (who, into which units, progress and counts), and its file line by line.
 * A line's text holds personal data only until the line is done (then it is cleared); its result holds ids, the URN,
 * rule and field names, never a person's details. The line's result is written in the transaction that writes its
 * case, so a crashed import resumes where it was and never writes a case twice.
 */
export class Imports1765300000000 implements MigrationInterface {
  name = 'Imports1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY,
        created_by uuid NOT NULL,
        units text[],
        format text NOT NULL CHECK (format IN ('jsonl', 'csv')),
        status text NOT NULL CHECK (status IN ('receiving', 'running', 'done', 'failed')),
        lines integer NOT NULL DEFAULT 0,
        workflow_id text,
        summaries_sent integer,
        failure text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE import_lines (
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        content text,
        status text CHECK (status IN ('imported', 'unchanged', 'refused')),
        result jsonb,
        case_id uuid,
        needs_workflow boolean NOT NULL DEFAULT false,
        workflow_started boolean NOT NULL DEFAULT false,
        PRIMARY KEY (import_id, line_no)
      )`);
    await q.query(`CREATE INDEX import_lines_pending_idx ON import_lines (import_id, line_no) WHERE status IS NULL OR (needs_workflow AND NOT workflow_started)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE import_lines');
    await q.query('DROP TABLE imports');
  }
}
