import { type Client, ScheduleAlreadyRunning } from '@temporalio/client';
import type { Logger } from '../infra/logger';
import { escalationDigestWorkflow } from '../workflows';
import { TASK_QUEUE } from '../workflows/contracts';

/** Schedules the worker makes sure exist at start-up (creating one that exists is a no-op). */
export async function ensureSchedules(client: Client, logger: Logger): Promise<void> {
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
}
