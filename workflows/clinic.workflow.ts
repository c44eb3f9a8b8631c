import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { type ClockState, runClock, startClock, stopClock } from './clocks/clock';
import { workflowNow } from './clocks/workflow-time';
import { clinicRecords } from './clinics/records';
import { type AgendaSummary, clinicAgendaUpdate, clinicOutcomeRecordedSignal, clinicSittingChangedSignal } from './contracts/clinics';
import type { PolicySnapshot } from './contracts/policy';

export interface ClinicWorkflowInput {
  clinicId: string;
  /** When the clinic sits (UTC): outcomes are due by the policy's `clinic.outcome` clock from then. */
  sittingAt: string;
  /** The policy of the unit's force when the sitting was made: its agenda rules build the agenda, its version is recorded. */
  policy: PolicySnapshot;
}

const OUTCOME_CLOCK = 'clinic.outcome';

/**
 * One sitting of a clinic, id `clinic-<uuid>`: started at the schedule's lead time before the sitting (or at once for
 * an ad-hoc one), it builds the agenda by the policy's versioned rules, through an activity running SQL over the
 * projections, and records the rules' version with the sitting; then invites the attendees. From the sitting, the
 * outcomes not yet recorded run on the one clock mechanism (`clinic.outcome`: chase the liaison, then escalate to the
 * DI, each step once); the clock stops when every case on the agenda has its outcome.
 */
export async function clinicWorkflow(input: ClinicWorkflowInput): Promise<AgendaSummary> {
  const { clinicId, policy } = input;
  if (!policy.agenda) throw new TypeError(`policy ${policy.version} has no agenda rules`);
  const built: { agenda?: AgendaSummary; clock?: ClockState } = {};
  // The sitting as last changed (moved or cancelled), and the invite sequence last sent.
  const sitting = { at: input.sittingAt, cancelled: false, sequence: 0 };
  let invited = 0;
  const outstanding = new Set<string>();
  const now = () => new Date(workflowNow()).toISOString();
  setHandler(clinicAgendaUpdate, async () => {
    await condition(() => built.agenda !== undefined);
    return built.agenda!;
  });
  setHandler(clinicSittingChangedSignal, (change) => {
    if (change.sequence <= sitting.sequence) return;
    Object.assign(sitting, { at: change.sittingAt, cancelled: change.cancelled, sequence: change.sequence });
    if (change.cancelled && built.clock) stopClock(built.clock, now());
  });
  setHandler(clinicOutcomeRecordedSignal, ({ caseId }) => {
    outstanding.delete(caseId);
    if (!outstanding.size && built.clock) stopClock(built.clock, now());
  });
  built.agenda = await clinicRecords.buildClinicAgenda({ clinicId, rules: policy.agenda, now: now() });
  // An outcome may arrive before the agenda is back here (the agenda is recorded first): only those still open count.
  for (const entry of built.agenda.entries) outstanding.add(entry.caseId);
  for (const caseId of await clinicRecords.clinicOutcomesRecorded({ clinicId })) outstanding.delete(caseId);
  // Each attendee's inbox tasks and email with their part of the agenda, and the calendar invite.
  await clinicRecords.sendClinicInvites({ clinicId, method: 'REQUEST' });

  // Until the sitting: a move re-invites (the activity reads the raised SEQUENCE), a cancellation cancels and ends.
  for (;;) {
    if (sitting.cancelled) {
      await clinicRecords.sendClinicInvites({ clinicId, method: 'CANCEL' });
      await condition(allHandlersFinished);
      return built.agenda;
    }
    if (sitting.sequence !== invited) {
      invited = sitting.sequence;
      await clinicRecords.sendClinicInvites({ clinicId, method: 'REQUEST' });
      continue;
    }
    const untilSitting = Date.parse(sitting.at) - workflowNow();
    if (untilSitting <= 0) break;
    await condition(() => sitting.sequence !== invited, untilSitting);
  }
  if (policy.clocks[OUTCOME_CLOCK] && outstanding.size) {
    const clock = startClock(OUTCOME_CLOCK, clinicId, sitting.at, policy);
    built.clock = clock;
    await runClock(() => clock, policy, (c, step) => clinicRecords.chaseClinicOutcomes({ clinicId, step: step.index, kind: step.kind, to: step.to, dueAt: c.dueAt }));
  }
  await condition(allHandlersFinished);
  return built.agenda;
}
