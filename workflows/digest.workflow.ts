import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { sendEscalationDigests } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '30 seconds', maximumInterval: '10 minutes' },
});

/**
 * The daily escalation digest for supervisors who chose one: started by the `escalation-digest` Schedule.
 * The digest key is the run's scheduled date, so a retried or re-run day sends nothing twice.
 */
export async function escalationDigestWorkflow(): Promise<{ people: number; tasks: number }> {
  const day = new Date(workflowInfo().startTime).toISOString().slice(0, 10);
  return sendEscalationDigests({ day });
}
