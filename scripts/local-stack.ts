import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import { createDataSource } from '../db/data-source';
import { seedDemo } from './demo/seed-demo';
import { startEmbeddedPostgres } from './stack/embedded-postgres';
import { ProcessGroup } from './stack/process-group';
import { startMailCatcher } from './stack/mail-catcher';
import { waitFor } from './stack/ports';
import { startTemporalDevServer } from './stack/temporal-dev-server';

/**
 * `npm start`: the whole system on one machine. Embedded defaults for whatever is not configured:
 * PostgreSQL (var/postgres), Temporal's dev server (var/temporal.sqlite, Web UI), an SMTP catcher with an inbox
 * page; then migrations, the worker, the API and a demo. Data survives a restart; Ctrl-C stops everything.
 */
const ROOT = resolve(__dirname, '..', '..');
const VAR = join(ROOT, 'var');
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const say = (msg: string) => console.log(`\x1b[1m[precharge]\x1b[0m ${msg}`);

interface LocalSecrets { jwtSecret: string; payloadKeys: string; sessionSecret?: string }

/** Generated once and kept: the payload key must outlive restarts or stored histories become unreadable. */
function localSecrets(): LocalSecrets {
  const file = join(VAR, 'local-secrets.json');
  const secrets: LocalSecrets = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets
    : { jwtSecret: randomBytes(32).toString('hex'), payloadKeys: `local-1:${randomBytes(32).toString('base64')}` };
  // Added with the web front end: a var/ from before it gains a session secret and keeps its other keys.
  if (!secrets.sessionSecret) {
    secrets.sessionSecret = randomBytes(32).toString('hex');
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

async function main(): Promise<void> {
  mkdirSync(VAR, { recursive: true });
  const group = new ProcessGroup();
  const stopAll = async () => {
    if (group.stopping) return;
    say('stopping…');
    await group.stopAll();
    say('stopped');
  };
  const shutdown = async (code: number) => { await stopAll(); process.exit(code); };
  // embedded-postgres exits the process from its own signal hook; ours joins that hook so Ctrl-C waits for
  // the worker to drain and Temporal to stop before the process ends.
  exitHook.forceExitTimeout(30_000);
  exitHook((done) => { void stopAll().then(done); });

  try {
    const secrets = localSecrets();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      JWT_SECRET: process.env.JWT_SECRET ?? (process.env.OIDC_ISSUER ? undefined : secrets.jwtSecret),
      PAYLOAD_KEYS: process.env.PAYLOAD_KEYS ?? secrets.payloadKeys,
      SESSION_SECRET: process.env.SESSION_SECRET ?? secrets.sessionSecret,
      // The local stack's sign-in page lists the demo people; production refuses it at boot.
      DEMO_SIGN_IN: process.env.DEMO_SIGN_IN ?? (process.env.NODE_ENV === 'production' ? 'false' : 'true'),
      PORT: String(port('PORT', 3000)),
      PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port('PORT', 3000)}`,
      POLICY_FILE: process.env.POLICY_FILE ?? join(ROOT, 'policy', 'demo-policy.json'),
      // The demo's second force layers its own policy on the region's (its allocation, a local closure).
      FORCE_POLICIES: process.env.FORCE_POLICIES ?? `demo-force-south:${join(ROOT, 'policy', 'demo-south-policy.json')}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // The demo sends webhooks only to this machine unless told otherwise.
      WEBHOOK_DESTINATIONS: process.env.WEBHOOK_DESTINATIONS ?? 'loopback',
    };
    let temporalUi: string | undefined;
    let inbox: string | undefined;

    if (!env.DATABASE_URL) {
      say('starting embedded PostgreSQL (var/postgres)');
      const pg = await startEmbeddedPostgres({ dataDir: join(VAR, 'postgres'), port: port('PRECHARGE_PG_PORT', 5433), database: 'precharge', persistent: true, inOrder: true });
      group.onStop(pg.stop);
      env.DATABASE_URL = pg.url;
    }
    if (!env.TEMPORAL_ADDRESS) {
      say('starting the Temporal dev server (var/temporal.sqlite)');
      const temporal = await startTemporalDevServer({
        cli: env.TEMPORAL_CLI ?? 'temporal', port: port('PRECHARGE_TEMPORAL_PORT', 7233), uiPort: port('PRECHARGE_TEMPORAL_UI_PORT', 8233),
        dbFile: join(VAR, 'temporal.sqlite'), logLevel: 'error',
      });
      group.onStop(temporal.stop);
      env.TEMPORAL_ADDRESS = temporal.address;
      temporalUi = temporal.uiUrl;
    }
    if (!env.SMTP_URL) {
      say('starting the local mail catcher');
      const mail = await startMailCatcher({ smtpPort: port('PRECHARGE_SMTP_PORT', 1025), webPort: port('PRECHARGE_MAIL_UI_PORT', 1080) });
      group.onStop(mail.stop);
      env.SMTP_URL = mail.smtpUrl;
      inbox = mail.webUrl;
    }

    say('applying database migrations');
    const dataSource = await createDataSource(env.DATABASE_URL!, 'precharge-migrate').initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    say(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'schema up to date');

    const run = (name: string, script: string) => {
      const child = spawn(process.execPath, [join(ROOT, 'dist', script)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
      child.once('exit', (code) => { if (!group.stopping) { say(`${name} exited (${code}); stopping`); void shutdown(1); } });
      group.addChild(child);
    };
    say('starting the worker and the API');
    run('worker', 'worker/main.js');
    run('api', 'api/main.js');
    const webUrl = `http://127.0.0.1:${env.PORT}/`;
    const apiUrl = `${webUrl}api`;
    await waitFor('API', async () => { const res = await fetch(`${apiUrl}/health`); if (!res.ok) throw new Error(`health ${res.status}`); }, 60_000, 500);

    const demo = await seedDemo({ apiUrl, webUrl, dataSource, jwtSecret: env.JWT_SECRET, varDir: VAR, say });
    await dataSource.destroy();

    console.log(`
  \x1b[1mPre-charge orchestrator is running\x1b[0m
    Web front end  ${webUrl}
    API            ${apiUrl}
    OpenAPI docs   ${apiUrl}/docs
    Health         ${apiUrl}/health
    Temporal UI    ${temporalUi ?? '(external cluster)'}
    Mail inbox     ${inbox ?? '(external SMTP)'}
    Policy         ${env.POLICY_FILE}${env.FORCE_POLICIES ? ` (forces: ${env.FORCE_POLICIES})` : ''}
${demo}
  Ctrl-C stops everything; data stays in var/ for the next npm start.
`);
  } catch (err) {
    console.error(`\n[precharge] could not start: ${(err as Error).message}`);
    await shutdown(1);
  }
}

void main();
