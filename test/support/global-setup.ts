import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from '../../db/data-source';
import { startEmbeddedPostgres } from '../../scripts/stack/embedded-postgres';
import { startMailCatcher } from '../../scripts/stack/mail-catcher';
import { freePort } from '../../scripts/stack/ports';
import { startTemporalDevServer } from '../../scripts/stack/temporal-dev-server';
import { TEMPORAL_CLI } from './temporal-cli';

/**
 * Starts the real components once per run: PostgreSQL (embedded), Temporal's dev server (in memory), an SMTP
 * catcher. DATABASE_URL / TEMPORAL_ADDRESS / SMTP_URL set beforehand point the tests at external ones instead.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const stops: (() => Promise<void>)[] = [];
  (globalThis as Record<string, unknown>).__PRECHARGE_STOPS__ = stops;

  if (!process.env.DATABASE_URL) {
    const pg = await startEmbeddedPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'precharge-test-pg-')), port: await freePort(), database: 'precharge_test', persistent: false });
    stops.push(pg.stop);
    process.env.DATABASE_URL = pg.url;
  }
  if (!process.env.TEMPORAL_ADDRESS) {
    if (!existsSync(TEMPORAL_CLI)) throw new Error(`no Temporal CLI at ${TEMPORAL_CLI}: run the tests with \`npm test\`, which installs it`);
    const temporal = await startTemporalDevServer({ cli: TEMPORAL_CLI, port: await freePort() });
    stops.push(temporal.stop);
    process.env.TEMPORAL_ADDRESS = temporal.address;
  }
  if (!process.env.SMTP_URL) {
    const mail = await startMailCatcher({ smtpPort: await freePort(), webPort: await freePort() });
    stops.push(mail.stop);
    process.env.SMTP_URL = mail.smtpUrl;
    process.env.MAIL_CATCHER_URL = mail.webUrl;
  }
  process.env.TEMPORAL_NAMESPACE ??= 'default';
  process.env.JWT_SECRET ??= randomBytes(32).toString('hex');
  process.env.SESSION_SECRET ??= randomBytes(32).toString('hex');
  process.env.PAYLOAD_KEYS ??= `test-${Date.now()}:${randomBytes(32).toString('base64')}`;
  process.env.PUBLIC_URL ??= 'http://localhost:3000';
  process.env.LOG_LEVEL ??= 'warn';
  // No test ever sends a webhook beyond this machine.
  process.env.WEBHOOK_DESTINATIONS ??= 'loopback';

  const dataSource = await createDataSource(process.env.DATABASE_URL).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  console.log(`\n[test stack] PostgreSQL, Temporal dev server and SMTP catcher ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
