import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import { SignJWT } from 'jose';
import { createDataSource } from '../db/data-source';
import { ROLES } from '../workflows/contracts';
import { startEmbeddedPostgres } from './stack/embedded-postgres';
import { ProcessGroup } from './stack/process-group';
import { startMailCatcher } from './stack/mail-catcher';
import { freePort, waitFor } from './stack/ports';
import { startTemporalDevServer } from './stack/temporal-dev-server';

/**
 * The system under fuzzing (scripts/fuzz-api.sh): a throwaway PostgreSQL, an in-memory Temporal dev server and an SMTP
 * catcher on free loopback ports, then the worker and the API from dist/ as separate processes, exactly as deployed.
 * Seeds one person holding every role the directory allows, so the fuzzer gets past role checks into the handlers,
 * writes `{ baseUrl, token, personId, unit, temporalAddress, apiLog }` to the file named by the first argument, and runs
 * until SIGTERM or SIGINT.
 */
const ROOT = resolve(__dirname, '..', '..');
const say = (msg: string) => console.error(`[fuzz-target] ${msg}`);

async function main(readyFile: string | undefined): Promise<void> {
  if (!readyFile) throw new Error('usage: node dist/scripts/fuzz-target.js <ready-file>');
  const work = mkdtempSync(join(tmpdir(), 'precharge-fuzz-'));
  const group = new ProcessGroup();
  const stopAll = async () => {
    if (group.stopping) return;
    await group.stopAll();
    rmSync(work, { recursive: true, force: true });
  };
  // embedded-postgres stops its server from its own exit hook; ours joins it, so SIGTERM drains everything first.
  exitHook.forceExitTimeout(30_000);
  exitHook((done) => { void stopAll().then(done); });
  const fail = async (message: string) => { say(message); await stopAll(); process.exit(1); };

  try {
    const pg = await startEmbeddedPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'precharge-fuzz-pg-')), port: await freePort(), database: 'precharge_fuzz', persistent: false });
    group.onStop(pg.stop);
    const temporal = await startTemporalDevServer({ cli: process.env.TEMPORAL_CLI ?? 'temporal', port: await freePort() });
    group.onStop(temporal.stop);
    const mail = await startMailCatcher({ smtpPort: await freePort(), webPort: await freePort() });
    group.onStop(mail.stop);
    const migrations = await createDataSource(pg.url, 'precharge-migrate').initialize();
    await migrations.runMigrations({ transaction: 'each' });
    await migrations.destroy();

    const port = await freePort();
    const jwtSecret = randomBytes(32).toString('hex');
    const env: NodeJS.ProcessEnv = {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: pg.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'default',
      SMTP_URL: mail.smtpUrl, JWT_SECRET: jwtSecret, SESSION_SECRET: randomBytes(32).toString('hex'), PAYLOAD_KEYS: `fuzz:${randomBytes(32).toString('base64')}`, PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000',
    };
    const apiLog = join(work, 'api.log');
    const log = createWriteStream(apiLog);
    for (const script of ['worker/main.js', 'api/main.js']) {
      const child = spawn(process.execPath, [join(ROOT, 'dist', script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      child.once('exit', (code) => { if (!group.stopping) void fail(`${script} exited (${code})`); });
      group.addChild(child);
    }
    const baseUrl = `http://127.0.0.1:${port}/api`;
    await waitFor('API', async () => { const res = await fetch(`${baseUrl}/health`); if (!res.ok) throw new Error(`health ${res.status}`); }, 60_000, 300);

    const sign = (sub: string, roles: readonly string[], unit: string) => new SignJWT({ roles, unit }).setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub).setIssuedAt().setExpirationTime('2h').sign(new TextEncoder().encode(jwtSecret));
    const admin = await sign(randomUUID(), ['admin'], 'headquarters');
    const asAdmin = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`seeding ${path}: ${res.status}`);
    };
    // People belong to a unit of a force; the fuzz URNs are random, so many are refused as another force's.
    await asAdmin('POST', '/forces', { id: 'fuzz-force', code: '45', name: 'Fuzz Constabulary' });
    await asAdmin('POST', '/units', { id: 'fuzz-unit', name: 'Fuzz unit', organisation: 'police', forceId: 'fuzz-force' });
    const seeded = await fetch(`${baseUrl}/people`, {
      method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'DI Fuzz Everyrole', email: 'fuzz.everyrole@example.test', roles: ['officer', 'supervisor', 'cps', 'admin'], organisation: 'police', rank: 'DI', unit: 'fuzz-unit' }),
    });
    if (seeded.status !== 201) throw new Error(`seeding the fuzz person: ${seeded.status}`);
    const person = (await seeded.json()) as { id: string };
    const token = await sign(person.id, ROLES, 'fuzz-unit');
    writeFileSync(readyFile, JSON.stringify({ baseUrl, token, personId: person.id, unit: 'fuzz-unit', temporalAddress: temporal.address, apiLog }));
    say(`API ready at ${baseUrl}`);
  } catch (err) {
    await fail(`could not start: ${(err as Error).message}`);
  }
}

void main(process.argv[2]);
