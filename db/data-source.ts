import { DataSource } from 'typeorm';
import { entities } from './entities';
import { Foundation1764360000000 } from './migrations/1764360000000-foundation';

/** Migrations in order; schema changes only ever arrive through these (synchronize stays off). */
export const migrations = [Foundation1764360000000];

/** The one DataSource definition, shared by the API, the worker, the migration CLI and the tests. */
export function createDataSource(url: string, applicationName = 'precharge'): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    applicationName,
    extra: { max: 10, connectionTimeoutMillis: 10_000 },
  });
}
