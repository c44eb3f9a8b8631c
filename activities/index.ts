import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Logger } from '../infra/logger';
import { caseProjectionActivities } from './case-projection';
import { clinicActivities } from './clinics';
import { clinicInviteActivities } from './clinics/invites';
import { digestActivities } from './mail/digest';
import { notifyActivities } from './mail/notify';
import { importActivities } from './imports';
import { panelActivities } from './panels';
import { reportActivities } from './reports';
import type { ReportFiguresPort } from '../api/reports/report-figures.port';

export interface ActivityDeps {
  dataSource: DataSource;
  publicUrl: string;
  logger: Logger;
  /** For activities that start workflows (the import starts each imported case's). */
  temporal?: Client;
  /** The report figures (SQL over the case data) the scheduled report email is built from. */
  reportFigures?: ReportFiguresPort;
}

/** Every side effect the workflows may cause, built over injected ports. Email is only queued here: the worker's mail dispatcher sends it. */
export function createActivities(deps: ActivityDeps) {
  const notify = notifyActivities(deps);
  return {
    ...caseProjectionActivities(deps.dataSource, { notify: notify.notify, logger: deps.logger }),
    ...notify,
    ...digestActivities(deps),
    ...clinicActivities(deps),
    ...clinicInviteActivities(deps),
    ...panelActivities(deps),
    ...importActivities(deps),
    ...reportActivities(deps),
  };
}

export type { MailMessage, MailSender, NotifyInput } from './mail/notify';
