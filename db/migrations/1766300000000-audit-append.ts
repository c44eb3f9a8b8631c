import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appending to the audit chain in one statement (db/audit-chain.ts). It took a transaction of six round trips with the
 * chain's lock held across four of them, so every audited request queued behind the others' round trips; here the lock
 * is held for the function's own few microseconds. The hash is the one the verifier recomputes: the caller gives the
 * canonical JSON around the seq, which only the function knows, and the function hashes prev_hash || prefix || seq ||
 * suffix. Whose entry it is (the force) is found here too: the case's, else the directory person's, else the actor's.
 */
export class AuditAppend1766300000000 implements MigrationInterface {
  name = 'AuditAppend1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_append(
        p_occurred_at timestamptz, p_actor_id text, p_actor_roles text[], p_action text, p_method text, p_route text, p_case_id uuid,
        p_resource_id text, p_outcome integer, p_source_ip text, p_disclosed_to text,
        p_person_id uuid, p_actor_force text, p_genesis text, p_json_before_seq text, p_json_after_seq text)
      RETURNS TABLE (seq bigint, prev_hash text, hash text, force_id text) LANGUAGE plpgsql AS $$
      DECLARE
        v_prev text;
        v_seq bigint;
        v_hash text;
        v_force text;
      BEGIN
        -- Held to the end of the caller's transaction: each entry links to the one committed just before it.
        PERFORM pg_advisory_xact_lock(hashtext('precharge.audit_log'));
        SELECT a.hash INTO v_prev FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
        v_prev := coalesce(v_prev, p_genesis);
        v_seq := nextval(pg_get_serial_sequence('audit_log', 'seq'));
        v_hash := encode(sha256(convert_to(v_prev || p_json_before_seq || v_seq::text || p_json_after_seq, 'UTF8')), 'hex');
        v_force := coalesce((SELECT c.force_id FROM cases c WHERE c.id = p_case_id), (SELECT p.force_id FROM people p WHERE p.id = p_person_id), p_actor_force);
        INSERT INTO audit_log (seq, occurred_at, actor_id, actor_roles, action, method, route, case_id, resource_id, outcome, source_ip, disclosed_to, force_id, prev_hash, hash)
        VALUES (v_seq, p_occurred_at, p_actor_id, p_actor_roles, p_action, p_method, p_route, p_case_id, p_resource_id, p_outcome, p_source_ip, p_disclosed_to,
                v_force, v_prev, v_hash);
        RETURN QUERY SELECT v_seq, v_prev, v_hash, v_force;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION audit_append');
  }
}
