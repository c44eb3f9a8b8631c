import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { workflowNow } from './clocks/workflow-time';
import { clinicRecords } from './clinics/records';
import { type AgendaSummary, clinicAgendaUpdate } from './contracts/clinics';
import type { PolicySnapshot } from './contracts/policy';

export interface ClinicWorkflowInput {
  clinicId: string;
  /** The policy of the unit's force when the sitting was made: its agenda rules build the agenda, its version is recorded. */
  policy: PolicySnapshot;
}

/**
 * One sitting of a clinic, id `clinic-<uuid>`: started at the schedule's lead time before the sitting (or at once for
 * an ad-hoc one), it builds the agenda by the policy's versioned rules, through an activity running SQL over the
 * projections, and records the rules' version with the sitting; then invites the attendees.
 */
export async function clinicWorkflow({ clinicId, policy }: ClinicWorkflowInput): Promise<AgendaSummary> {
  if (!policy.agenda) throw new TypeError(`policy ${policy.version} has no agenda rules`);
  const built: { agenda?: AgendaSummary } = {};
  setHandler(clinicAgendaUpdate, async () => {
    await condition(() => built.agenda !== undefined);
    return built.agenda!;
  });
  built.agenda = await clinicRecords.buildClinicAgenda({ clinicId, rules: policy.agenda, now: new Date(workflowNow()).toISOString() });
  // Each attendee's inbox tasks and email with their part of the agenda, and the calendar invite.
  await clinicRecords.sendClinicInvites({ clinicId, method: 'REQUEST' });
  await condition(allHandlersFinished);
  return built.agenda;
}
