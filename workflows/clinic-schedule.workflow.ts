import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { condition, continueAsNew, ParentClosePolicy, setHandler, startChild } from '@temporalio/workflow';
import { Duration } from 'luxon';
import { clinicWorkflow } from './clinic.workflow';
import { clinicRecords } from './clinics/records';
import { sittingsFrom } from './clinics/recurrence';
import { workflowNow } from './clocks/workflow-time';
import { type ClinicScheduleSpec, clinicScheduleChangedSignal, clinicWorkflowId } from './contracts/clinics';
import type { PolicySnapshot } from './contracts/policy';

export interface ClinicScheduleInput {
  spec: ClinicScheduleSpec;
  /** The unit's force's policy: its non-working days move sittings, its agenda rules build them. */
  policy: PolicySnapshot;
  /** The last occurrence a sitting was made for (carried over continue-as-new). */
  lastOccurrence?: string;
}

/** Sittings made before handing over to a fresh run (a fortnightly schedule: two years). */
const SITTINGS_PER_RUN = 52;

/**
 * One per schedule, id `clinic-schedule-<uuid>`, for as long as the schedule lives: sleeps on a durable timer until the
 * lead time before the next sitting, records the sitting and starts its `clinicWorkflow`.
 *
 * Why a long-running workflow rather than a Temporal Schedule: a Schedule's interval spec counts fixed UTC durations
 * (a fortnightly 10:00 would drift to 09:00 or 11:00 across a clock change), its calendar spec cannot say "every
 * second Tuesday from 1 December", and neither can move a sitting off a bank holiday or fire a lead time before it.
 * Here the next sitting comes from the same pure recurrence function the API shows (`sittingsFrom`), in the schedule's
 * zone, with the policy snapshot's non-working days; a change arrives as a signal and simply wakes the timer. Sittings
 * already made are rows of their own, so pausing or changing the schedule never touches them.
 */
export async function clinicScheduleWorkflow(input: ClinicScheduleInput): Promise<void> {
  let { spec, policy } = input;
  let last = input.lastOccurrence;
  setHandler(clinicScheduleChangedSignal, (next) => {
    if (next.spec.revision > spec.revision) ({ spec, policy } = next);
  });

  for (let made = 0; made < SITTINGS_PER_RUN;) {
    const revision = spec.revision;
    const changed = () => spec.revision !== revision;
    if (spec.status === 'paused') {
      await condition(changed);
      continue;
    }
    const now = workflowNow();
    const next = sittingsFrom(spec, policy, new Date(now), 12).find((s) => !last || s.occurrence > last);
    if (!next) {
      await condition(changed); // the rule has ended: only a change can bring another sitting
      continue;
    }
    const buildAt = Date.parse(next.sittingAt) - Duration.fromISO(spec.agendaLeadTime).toMillis();
    if (buildAt > now && (await condition(changed, buildAt - now))) continue;
    const { clinicId } = await clinicRecords.recordScheduledSitting({ scheduleId: spec.scheduleId, occurrence: next.occurrence, sittingAt: next.sittingAt, policyVersion: policy.version });
    try {
      await startChild(clinicWorkflow, {
        workflowId: clinicWorkflowId(clinicId), args: [{ clinicId, sittingAt: next.sittingAt, policy }],
        // The sitting outlives the schedule: pausing or ending the schedule must not cancel a sitting already called.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    last = next.occurrence;
    made += 1;
  }
  await continueAsNew<typeof clinicScheduleWorkflow>({ spec, policy, lastOccurrence: last });
}
