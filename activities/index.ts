import type { DataSource } from 'typeorm';
import type { Logger } from '../infra/logger';
import { caseProjectionActivities } from './case-projection';
import { clinicActivities } from './clinics';
import { clinicInviteActivities } from './clinics/invites';
import { digestActivities } from './mail/digest';
import { type MailSender, notifyActivities } from './mail/notify';
import { panelActivities } from './panels';

export interface ActivityDeps {
  dataSource: DataSource;
  mailer: MailSender;
  publicUrl: string;
  logger: Logger;
}

/** Every side effect the workflows may cause, built over injected ports: the worker wires real ones, tests fakes. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...caseProjectionActivities(deps.dataSource),
    ...notifyActivities(deps),
    ...digestActivities(deps),
    ...clinicActivities(deps),
    ...clinicInviteActivities(deps),
    ...panelActivities(deps),
  };
}

export type { MailMessage, MailSender, NotifyInput } from './mail/notify';
