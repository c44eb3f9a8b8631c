import { DataSource } from 'typeorm';
import { migrations } from '../../db/data-source';
import { entities } from '../../db/entities';
import { Webhooks1765700000000 } from '../../db/migrations/1765700000000-webhooks';
import { scratchDatabase } from '../support/scratch-database';

const TABLES = ['webhook_subscriptions', 'webhook_events', 'webhook_deliveries', 'webhook_attempts'];

describe('the webhooks migration', () => {
  it('adds the outbox, subscriptions, deliveries and attempts, and reverts to the schema before it', async () => {
    const scratch = await scratchDatabase('precharge_webhooks');
    const upTo = migrations.indexOf(Webhooks1765700000000);
    const db = await new DataSource({ type: 'postgres', url: scratch.url, entities, migrations: migrations.slice(0, upTo + 1), migrationsTransactionMode: 'each' }).initialize();
    const present = async () => ((await db.query('SELECT t, to_regclass(t) IS NOT NULL AS present FROM unnest($1::text[]) t', [TABLES])) as { t: string; present: boolean }[]).filter((r) => r.present).map((r) => r.t);
    try {
      await db.runMigrations();
      expect(await present()).toEqual(TABLES);
      await db.undoLastMigration();
      expect(await present()).toEqual([]);
      expect((await db.runMigrations()).map((m) => m.name)).toEqual(['Webhooks1765700000000']);
      expect(await present()).toEqual(TABLES);
    } finally {
      await db.destroy();
      await scratch.drop();
    }
  });
});
