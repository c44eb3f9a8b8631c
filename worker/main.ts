import 'reflect-metadata';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { ReportFigures } from '../api/reports/report-figures';
import { reportFiguresPort } from '../api/reports/report-figures.port';
import { createDataSource } from '../db/data-source';
import { loadEnvironment } from '../infra/config';
import { createLogger } from '../infra/logger';
import { startTracing } from '../infra/tracing';
import { loadPolicy } from '../policy/load-policy';
import { connectTemporalClient } from '../infra/temporal';
import { createMailTransport } from '../infra/mail-transport';
import { createWorker, smtpMailSender } from './create-worker';
import { workerMetricsTelemetry } from './telemetry';
import { ensureSchedules } from './schedules';
import { MailDispatcher, mailSettings } from './mail-dispatcher';
import { WebhookDispatcher } from './webhook-dispatcher';
import { webhookSettings } from '../infra/webhooks';

/** Composition root of the worker process: config, database, mail, Temporal; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadEnvironment();
  const logger = createLogger('worker', config.LOG_LEVEL);
  // The SDK's own log lines (bundling, worker state) follow the same level as ours; its metrics (workflow task
  // latency, polls, slots, cache) are served for Prometheus at WORKER_METRICS_ADDRESS.
  const telemetryOptions = workerMetricsTelemetry(config.WORKER_METRICS_ADDRESS);
  Runtime.install({ logger: new DefaultLogger(sdkLevel(config.LOG_LEVEL)), ...(telemetryOptions ? { telemetryOptions } : {}) });
  // Traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise none.
  const tracing = startTracing('precharge-worker');
  const dataSource = await createDataSource(config.DATABASE_URL, 'precharge-worker').initialize();
  const transport = createMailTransport(config.SMTP_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = await connectTemporalClient(config, tracing);
  const mailer = smtpMailSender(transport, config.MAIL_FROM);
  const policy = loadPolicy(config.POLICY_FILE);
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    payloadKeys: config.PAYLOAD_KEYS,
    dataSource,
    publicUrl: config.PUBLIC_URL,
    logger,
    temporal: client,
    // The scheduled report's figures: the same as GET /api/reports/..., under the regional policy.
    reportFigures: reportFiguresPort(new ReportFigures(dataSource, policy)),
    tracing,
  });
  // The report Schedule runs under the regional policy's report rules (a new version updates its input).
  await ensureSchedules(client, logger, policy);
  // The outboxes the activities write: case events out to subscribers, and email out to the relay.
  const dispatchers = [
    new WebhookDispatcher({ dataSource, databaseUrl: config.DATABASE_URL, settings: webhookSettings(config), publicUrl: config.PUBLIC_URL, logger }),
    new MailDispatcher({ dataSource, databaseUrl: config.DATABASE_URL, settings: mailSettings(config), mailer, logger }),
  ];
  for (const dispatcher of dispatchers) await dispatcher.start();
  logger.info({ taskQueue: worker.options.taskQueue, namespace: config.TEMPORAL_NAMESPACE, metrics: config.WORKER_METRICS_ADDRESS, tracing: Boolean(tracing) }, 'worker started');
  try {
    await worker.run(); // resolves after SIGINT/SIGTERM, once in-flight tasks have finished
  } finally {
    // After the worker: its last activities may have queued an event or an email.
    for (const dispatcher of dispatchers) await dispatcher.stop();
    transport.close();
    await client.connection.close();
    await connection.close();
    await dataSource.destroy();
    await tracing?.shutdown();
    logger.info('worker stopped');
  }
}

function sdkLevel(level: string): 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' {
  if (level === 'trace' || level === 'debug') return level.toUpperCase() as 'TRACE' | 'DEBUG';
  if (level === 'info') return 'INFO';
  return level === 'warn' ? 'WARN' : 'ERROR';
}

main().catch((err: Error) => {
  console.error(`worker failed to start: ${err.message}`);
  process.exit(1);
});
