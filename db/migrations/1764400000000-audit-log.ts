import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log (Data Protection Act 2018 s.62): who consulted or changed case data and the directory, when, and
 * with what outcome. Append-only and hash-chained, so a rewrite is either refused or detectable.
 */
export class AuditLog1764400000000 implements MigrationInterface {
  name = 'AuditLog1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        seq bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        actor_id text,
        actor_roles text[] NOT NULL DEFAULT '{}',
        action text NOT NULL,
        method text NOT NULL,
        route text NOT NULL,
        case_id uuid,
        resource_id text,
        outcome integer NOT NULL,
        source_ip text,
        disclosed_to text,
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX audit_log_case_idx ON audit_log (case_id, occurred_at)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, occurred_at)`);
    // Statement-level, so even an UPDATE or DELETE matching no rows is refused, whoever the connection is.
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_refuse_change()`);
  }
}
