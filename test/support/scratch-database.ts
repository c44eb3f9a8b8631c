import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** A database of its own in the run's PostgreSQL server, so migrating it up and down touches no other test's data. */
export async function scratchDatabase(prefix = 'precharge_scratch'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomUUID().slice(0, 8)}`;
  const server = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL }).initialize();
  await server.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await server.query(`DROP DATABASE IF EXISTS ${name}`);
      await server.destroy();
    },
  };
}
