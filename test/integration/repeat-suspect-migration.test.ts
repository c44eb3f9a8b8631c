import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrations } from '../../db/data-source';
import { entities } from '../../db/entities';
import { RepeatSuspect1765400000000 } from '../../db/migrations/1765400000000-repeat-suspect';
import { scratchDatabase } from '../support/scratch-database';

describe('the repeat-suspect migration', () => {
  it('gives the suspects already recorded their identity keys (victims none), and reverts to the schema before it', async () => {
    const scratch = await scratchDatabase('precharge_repeat_suspect');
    const upTo = migrations.indexOf(RepeatSuspect1765400000000);
    const before = await new DataSource({ type: 'postgres', url: scratch.url, entities, migrations: migrations.slice(0, upTo), migrationsTransactionMode: 'each' }).initialize();
    const columns = async (db: DataSource) => ((await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'case_parties' ORDER BY 1`)) as { column_name: string }[]).map((c) => c.column_name);
    let db: DataSource | undefined;
    try {
      await before.runMigrations();
      const caseId = randomUUID();
      await before.query(
        `INSERT INTO case_parties (id, case_id, kind, name, date_of_birth, national_id) VALUES
         ($1, $4, 'suspect', 'Ána  D''Souza-Kahn', '1980-02-03', ' pnc 01/123 '), ($2, $4, 'suspect', 'ANA DSOUZA KAHN', '1980-02-03', NULL), ($3, $4, 'victim', 'Zoë Victim', '1990-01-01', NULL)`,
        [randomUUID(), randomUUID(), randomUUID(), caseId],
      );
      const columnsBefore = await columns(before);
      await before.destroy();

      db = await new DataSource({ type: 'postgres', url: scratch.url, entities, migrations: migrations.slice(0, upTo + 1), migrationsTransactionMode: 'each' }).initialize();
      expect((await db.runMigrations()).map((m) => m.name)).toEqual(['RepeatSuspect1765400000000']);
      expect(await db.query(`SELECT kind, name_key, national_id_key FROM case_parties WHERE case_id = $1 ORDER BY kind, national_id_key`, [caseId])).toEqual([
        { kind: 'suspect', name_key: 'anadsouzakahn', national_id_key: 'PNC01/123' },
        { kind: 'suspect', name_key: 'anadsouzakahn', national_id_key: null },
        { kind: 'victim', name_key: null, national_id_key: null },
      ]);
      await db.undoLastMigration();
      expect(await columns(db)).toEqual(columnsBefore);
      expect(await db.query(`SELECT to_regclass('case_flags') AS t`)).toEqual([{ t: null }]);
    } finally {
      if (before.isInitialized) await before.destroy();
      await db?.destroy();
      await scratch.drop();
    }
  });
});
