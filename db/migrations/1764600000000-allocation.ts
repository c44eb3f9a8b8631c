import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each case records the allocation rule that placed it in its unit, and the rule's wording at the time. */
export class Allocation1764600000000 implements MigrationInterface {
  name = 'Allocation1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN allocation_rule text, ADD COLUMN allocation_reason text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN allocation_rule, DROP COLUMN allocation_reason`);
  }
}
