import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case's live state beside its projection: the registration (once) and the workflow's plain state after each
 * transition and clock step, so a case page computes its view and what the viewer may do with the pipeline's own
 * rules instead of querying the workflow. `(live_seq, live_steps)` orders the writes: a transition's sequence, then
 * the clock steps fired since; an older write never replaces a newer one. Cases recorded before this have none and
 * are read from their workflow, as before.
 */
export class CaseLiveState1765050000000 implements MigrationInterface {
  name = 'CaseLiveState1765050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases
        ADD COLUMN registration jsonb,
        ADD COLUMN live_state jsonb,
        ADD COLUMN live_seq integer NOT NULL DEFAULT 0,
        ADD COLUMN live_steps integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE cases DROP COLUMN live_steps, DROP COLUMN live_seq, DROP COLUMN live_state, DROP COLUMN registration');
  }
}
