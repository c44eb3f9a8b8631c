import { type Client, ScheduleAlreadyRunning } from '@temporalio/client';
import type { Logger } from '../infra/logger';
import { escalationDigestWorkflow, reportWorkflow } from '../workflows';
import { REPORT_SCHEDULE_ID, TASK_QUEUE } from '../workflows/contracts';
import type { PolicySnapshot } from '../workflows/contracts/policy';
import type { ReportWorkflowInput } from '../workflows/report.workflow';

/** Schedules the worker makes sure exist at start-up (creating one that exists is a no-op). */
export async function ensureSchedules(client: Client, logger: Logger, regionPolicy?: PolicySnapshot): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: 'escalation-digest',
      spec: { calendars: [{ hour: 7, minute: 0 }], timezone: 'Europe/London' },
      action: { type: 'startWorkflow', workflowType: escalationDigestWorkflow, taskQueue: TASK_QUEUE, workflowId: 'escalation-digest' },
      policies: { catchupWindow: '1 day', overlap: 'SKIP' },
    });
    logger.info('created the daily escalation digest schedule (07:00 Europe/London)');
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  if (regionPolicy) await ensureReportSchedule(client, logger, regionPolicy);
}

/** What each morning's report run is given: the regional policy's report rules and calendar, with their versions. */
export function reportWorkflowInput(policy: PolicySnapshot): ReportWorkflowInput {
  if (!policy.reports) throw new TypeError(`policy ${policy.version} has no report delivery rules`);
  return { rules: policy.reports, calendar: { timezone: policy.timezone, nonWorkingDays: policy.nonWorkingDays }, policyVersion: policy.version };
}

/**
 * The `report-delivery` Schedule: every morning at 07:00 in the policy's zone it starts `reportWorkflow`, which sends
 * whatever report is due that day. A Schedule's calendar cannot say "three working days before the second Tuesday",
 * so it fires daily and the workflow decides from the rules (pure: workflows/reports/delivery.ts). A worker started
 * under other rules (a new policy version) updates the Schedule's input, so the next run goes by them; a missed
 * morning is caught up within a day, and a later run still sends a pack due earlier (see deliveriesDue).
 */
export async function ensureReportSchedule(client: Client, logger: Logger, policy: PolicySnapshot, scheduleId = REPORT_SCHEDULE_ID): Promise<void> {
  const input = reportWorkflowInput(policy);
  const action = { type: 'startWorkflow' as const, workflowType: reportWorkflow, taskQueue: TASK_QUEUE, workflowId: scheduleId, args: [input] as [ReportWorkflowInput] };
  try {
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 7, minute: 0 }], timezone: policy.timezone },
      action,
      policies: { catchupWindow: '1 day', overlap: 'SKIP' },
    });
    logger.info({ rulesVersion: input.rules.version }, 'created the report delivery schedule (07:00 daily)');
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec: { calendars: [{ hour: 7, minute: 0 }], timezone: policy.timezone }, action }));
    logger.info({ rulesVersion: input.rules.version, policyVersion: input.policyVersion }, 'report delivery schedule set to the rules in force');
  }
}
