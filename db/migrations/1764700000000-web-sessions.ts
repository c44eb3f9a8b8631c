import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Web sessions (connect-pg-simple's shape): who is signed in, their CSRF token and the sign-in's PKCE state; never
 * case data. Expired rows are pruned by the store.
 */
export class WebSessions1764700000000 implements MigrationInterface {
  name = 'WebSessions1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE web_sessions (
        sid varchar PRIMARY KEY,
        sess json NOT NULL,
        expire timestamp(6) NOT NULL
      )`);
    await q.query(`CREATE INDEX web_sessions_expire_idx ON web_sessions (expire)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_sessions`);
  }
}
