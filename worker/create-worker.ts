import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { createActivities, type MailSender } from '../activities';
import type { ReportFiguresPort } from '../api/reports/report-figures.port';
import type { Logger } from '../infra/logger';
import { createDataConverter } from '../infra/temporal';
import type { Tracing } from '../infra/tracing';
import { TASK_QUEUE } from '../workflows/contracts';
import { workerTracingOptions, workflowInterceptorModules } from './telemetry';
import { workerBundling } from './workflow-bundle';
import { workerTuning } from './worker-tuning';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  payloadKeys: string;
  dataSource: DataSource;
  publicUrl: string;
  logger: Logger;
  /** A client for the activities that start workflows (the import of existing cases). */
  temporal?: Client;
  /** The report figures the scheduled report email is built from (see activities/reports). */
  reportFigures: ReportFiguresPort;
  /** Set by tests to reuse one pre-built bundle across workers (built with workflowInterceptorModules(tracing on)). */
  workflowBundle?: { code: string };
  /** Tracing, when on (infra/tracing.ts): workflow and activity spans join the trace of the command that caused them. */
  tracing?: Tracing;
}

/** The Temporal worker for the case pipeline: workflows bundled from workflows/, activities over real ports. */
export function createWorker(deps: WorkerDeps): Promise<Worker> {
  const tracing = workerTracingOptions(deps.tracing);
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: TASK_QUEUE,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : workerBundling()),
    activities: createActivities(deps),
    dataConverter: createDataConverter(deps.payloadKeys),
    sinks: tracing.sinks,
    interceptors: { ...tracing.interceptors, ...(deps.workflowBundle ? {} : { workflowModules: workflowInterceptorModules(Boolean(deps.tracing)) }) },
    ...workerTuning(),
    shutdownGraceTime: '10 seconds',
  });
}

/** nodemailer behind the MailSender port. */
export function smtpMailSender(transport: Transporter, from: string): MailSender {
  return {
    async send(message) {
      await transport.sendMail({
        from, to: message.to, subject: message.subject, text: message.text, html: message.html, messageId: message.messageId,
        ...(message.calendar ? { icalEvent: { method: message.calendar.method, content: message.calendar.content, filename: 'invite.ics' } } : {}),
        ...(message.attachments ? { attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, ...(a.cid ? { cid: a.cid, contentDisposition: 'inline' as const } : {}) })) } : {}),
      });
    },
  };
}
