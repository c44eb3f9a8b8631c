import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * My work reads a page of a person's open tasks in due order: an index range scan instead of sorting every open task
 * (a supervisor holds thousands). For that, a task's due time is kept as its clock's current one (the projection moves
 * it when a due date changes), so existing open tasks take their clock's due time once here. Restricted cases are
 * few: a partial index finds the ones a person may not open without reading every case.
 */
export class MyWork1764850000000 implements MigrationInterface {
  name = 'MyWork1764850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE tasks t SET due_at = k.due_at FROM case_clocks k
      WHERE k.key = t.clock_key AND t.status = 'open' AND t.due_at IS DISTINCT FROM k.due_at`);
    await q.query(`CREATE INDEX tasks_open_due_idx ON tasks (person_id, due_at, id) INCLUDE (case_id) WHERE status = 'open'`);
    await q.query(`CREATE INDEX cases_restricted_idx ON cases (id) WHERE restricted`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The moved due times stay: they are the clocks' own, which is what My work showed before this migration too.
    await q.query(`DROP INDEX cases_restricted_idx`);
    await q.query(`DROP INDEX tasks_open_due_idx`);
  }
}
