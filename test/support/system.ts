import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createApp } from '../../api/create-app';
import { ReportFigures } from '../../api/reports/report-figures';
import { reportFiguresPort } from '../../api/reports/report-figures.port';
import { createDataSource } from '../../db/data-source';
import { loadEnvironment } from '../../infra/config';
import { createLogger } from '../../infra/logger';
import { createMailTransport } from '../../infra/mail-transport';
import { connectTemporalClient } from '../../infra/temporal';
import type { Tracing } from '../../infra/tracing';
import { loadRegionPolicies, type RegionPolicies } from '../../policy/load-policy';
import { recordPolicyVersions } from '../../policy/record-policy';
import { createWorker, smtpMailSender } from '../../worker/create-worker';
import { workflowBundle } from './time-skipping';
import { MailDispatcher, mailSettings } from '../../worker/mail-dispatcher';
import { WebhookDispatcher } from '../../worker/webhook-dispatcher';
import { webhookSettings } from '../../infra/webhooks';

export interface RunningSystem {
  baseUrl: string;
  /** The Nest application, for tests that inspect what it serves (e.g. every route it registered). */
  app: INestApplication;
  client: Client;
  dataSource: DataSource;
  policies: RegionPolicies;
  stop(): Promise<void>;
}

/**
 * The API and a worker, in this process, wired exactly as api/main.ts and worker/main.ts wire them, against the
 * run's real PostgreSQL, Temporal dev server and SMTP catcher.
 */
export async function startSystem(opts: { policyFile?: string; forcePolicies?: Record<string, string>; env?: Record<string, string>; worker?: boolean; tracing?: { api: Tracing; worker: Tracing } } = {}): Promise<RunningSystem> {
  // `env` overrides single settings for one system (e.g. a tiny RATE_LIMIT_PER_MINUTE) without touching the run's.
  const config = loadEnvironment({ ...process.env, ...opts.env });
  const logger = createLogger('test', config.LOG_LEVEL);
  const policies = loadRegionPolicies(opts.policyFile, new Map(Object.entries(opts.forcePolicies ?? {})));
  const dataSource = await createDataSource(config.DATABASE_URL).initialize();
  await recordPolicyVersions(dataSource, policies);
  // `tracing`: the API's client and the worker traced as api/main.ts and worker/main.ts trace them when it is on.
  const client = await connectTemporalClient(config, opts.tracing?.api);
  const transport = createMailTransport(config.SMTP_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // `worker: false`: no worker in this process (a fault test runs the worker as a process of its own, to kill it).
  let worker: Worker | undefined;
  if (opts.worker !== false) {
    worker = await createWorker({
      connection, namespace: config.TEMPORAL_NAMESPACE, payloadKeys: config.PAYLOAD_KEYS, dataSource,
      publicUrl: config.PUBLIC_URL, logger, workflowBundle: await workflowBundle(Boolean(opts.tracing?.worker)), temporal: client,
      reportFigures: reportFiguresPort(new ReportFigures(dataSource, policies.region)), tracing: opts.tracing?.worker,
    });
  }
  const running = worker?.run();
  // The outbox dispatchers run where the worker runs, as in worker/main.ts.
  const dispatchers = worker ? [
    new WebhookDispatcher({ dataSource, databaseUrl: config.DATABASE_URL, settings: webhookSettings(config), publicUrl: config.PUBLIC_URL, logger }),
    new MailDispatcher({ dataSource, databaseUrl: config.DATABASE_URL, settings: mailSettings(config), mailer: smtpMailSender(transport, config.MAIL_FROM), logger }),
  ] : [];
  for (const dispatcher of dispatchers) await dispatcher.start();
  const app: INestApplication = await createApp({ config, dataSource, temporal: client, policies, smtpProbe: async () => { await transport.verify(); } });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    app,
    client,
    dataSource,
    policies,
    async stop() {
      await app.close();
      worker?.shutdown();
      await running;
      for (const dispatcher of dispatchers) await dispatcher.stop();
      await connection.close();
      await client.connection.close();
      transport.close();
      await dataSource.destroy();
    },
  };
}

/** JSON over HTTP with an optional bearer token; returns status and parsed body. */
export async function api(baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try { body = text ? JSON.parse(text) : undefined; } catch { body = text; }
  return { status: res.status, body, headers: res.headers };
}

export interface CaughtMail { to: string[]; subject?: string; text?: string; html?: string; messageId?: string; calendars?: string[]; attachments?: CaughtAttachment[] }
export interface CaughtAttachment { filename?: string; contentType: string; cid?: string; inline: boolean; size: number; base64: string }

/** Messages the run's SMTP catcher received for one address. */
export async function mailTo(address: string): Promise<CaughtMail[]> {
  const res = await fetch(`${process.env.MAIL_CATCHER_URL}/api/messages`);
  const all = (await res.json()) as CaughtMail[];
  return all.filter((m) => m.to.includes(address));
}

/** Polls until `check` returns a truthy value or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
