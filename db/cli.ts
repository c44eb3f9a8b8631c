import { createDataSource } from './data-source';

/** `node dist/db/cli.js migrate|revert|status`: the migration job in docker-compose and the local stack use this. */
async function main(command = 'migrate'): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const dataSource = await createDataSource(url, 'precharge-migrate').initialize();
  try {
    if (command === 'migrate') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'schema up to date');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else if (command === 'status') {
      console.log((await dataSource.showMigrations()) ? 'migrations pending' : 'schema up to date');
    } else {
      throw new Error(`unknown command "${command}" (migrate | revert | status)`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
