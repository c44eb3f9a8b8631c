import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks, case documents and the audit log carry the force they belong to, so each can be scoped to it (a force's
 * administrator reads their force's audit log). Existing rows take their case's force; an audit entry about no case
 * takes its actor's. The audit log's force is not part of its hash (it is derived from the hashed case and actor), so
 * filling it leaves the chain verifying; the append-only trigger is lifted for the fill alone, inside this migration's
 * transaction.
 */
export class ForceScopedRecords1764900000000 implements MigrationInterface {
  name = 'ForceScopedRecords1764900000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['tasks', 'case_documents']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN force_id text REFERENCES forces(id)`);
      await q.query(`UPDATE ${table} t SET force_id = c.force_id FROM cases c WHERE c.id = t.case_id`);
      // Every task and document is written for a case already projected, so none is left without a force.
      await q.query(`ALTER TABLE ${table} ALTER COLUMN force_id SET NOT NULL`);
      await q.query(`CREATE INDEX ${table}_force_idx ON ${table} (force_id)`);
    }
    await q.query(`ALTER TABLE audit_log ADD COLUMN force_id text`);
    await q.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    await q.query(`
      UPDATE audit_log a SET force_id = coalesce(
        (SELECT c.force_id FROM cases c WHERE c.id = a.case_id),
        (SELECT p.force_id FROM people p WHERE p.id::text = a.actor_id))`);
    await q.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    await q.query(`CREATE INDEX audit_log_force_idx ON audit_log (force_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_force_idx`);
    // Dropping a column rewrites no row, so the append-only trigger need not be lifted.
    await q.query(`ALTER TABLE audit_log DROP COLUMN force_id`);
    for (const table of ['tasks', 'case_documents']) {
      await q.query(`DROP INDEX ${table}_force_idx`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN force_id`);
    }
  }
}
