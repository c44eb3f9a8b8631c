import { DataSource } from 'typeorm';
import { migrations } from '../../db/data-source';
import { entities } from '../../db/entities';
import { ScrutinyPanels1765200000000 } from '../../db/migrations/1765200000000-scrutiny-panels';
import { scratchDatabase } from '../support/scratch-database';

const PANEL_TABLES = ['panel_schedules', 'panels', 'panel_members', 'panel_cases', 'panel_reviews', 'panel_referrals', 'learning_actions'];

describe('the scrutiny panels migration', () => {
  it('reverts to the schema before it and applies again', async () => {
    const scratch = await scratchDatabase('precharge_panels');
    const upTo = migrations.indexOf(ScrutinyPanels1765200000000) + 1;
    const db = await new DataSource({ type: 'postgres', url: scratch.url, entities, migrations: migrations.slice(0, upTo), migrationsTransactionMode: 'each' }).initialize();
    const tables = async () => ((await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY 1`, [PANEL_TABLES])) as { table_name: string }[]).map((t) => t.table_name);
    const partyColumns = async () => ((await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'case_parties' AND column_name IN ('address', 'phone', 'email') ORDER BY 1`)) as { column_name: string }[]).map((c) => c.column_name);
    try {
      await db.runMigrations();
      expect(await tables()).toEqual([...PANEL_TABLES].sort());
      expect(await partyColumns()).toEqual(['address', 'email', 'phone']);
      await db.undoLastMigration();
      expect(await tables()).toEqual([]);
      expect(await partyColumns()).toEqual([]);
      await db.runMigrations();
      expect(await tables()).toEqual([...PANEL_TABLES].sort());
    } finally {
      await db.destroy();
      await scratch.drop();
    }
  });
});
