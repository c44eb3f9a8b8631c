import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { condition, continueAsNew, ParentClosePolicy, startChild } from '@temporalio/workflow';
import { DateTime, Duration } from 'luxon';
import { sittingsFrom } from './clinics/recurrence';
import { workflowNow } from './clocks/workflow-time';
import { panelRecords } from './panels/records';
import { type PanelScheduleSpec, panelWorkflowId } from './contracts/panels';
import type { PolicySnapshot } from './contracts/policy';
import { panelWorkflow } from './panel.workflow';

export interface PanelScheduleInput {
  spec: PanelScheduleSpec;
  /** The force's policy: its non-working days move sittings, its panel rules draw each sample. */
  policy: PolicySnapshot;
  /** The last occurrence a panel was made for (carried over continue-as-new). */
  lastOccurrence?: string;
}

/** Panels made before handing over to a fresh run (quarterly: twenty-five years). */
const PANELS_PER_RUN = 100;

/**
 * One per panel schedule, id `panel-schedule-<uuid>`: sleeps until the lead time before the next sitting (the same
 * recurrence the clinics use, `sittingsFrom`, in the schedule's zone, off non-working days), records that sitting's
 * panel over the period before it (the policy's `panels.period`) with a fresh recorded seed, and starts its
 * `panelWorkflow`, which draws the sample. Panels already made are rows of their own and outlive the schedule.
 */
export async function panelScheduleWorkflow(input: PanelScheduleInput): Promise<void> {
  const { spec, policy } = input;
  if (!policy.panels) throw new TypeError(`policy ${policy.version} has no panel rules`);
  let last = input.lastOccurrence;
  for (let made = 0; made < PANELS_PER_RUN; made += 1) {
    const now = workflowNow();
    const next = sittingsFrom(spec, policy, new Date(now), 12).find((s) => !last || s.occurrence > last);
    if (!next) return; // the rule has ended
    const drawAt = Date.parse(next.sittingAt) - Duration.fromISO(spec.leadTime).toMillis();
    if (drawAt > now) await condition(() => false, drawAt - now);
    // In calendar terms in the schedule's zone: a quarter before 10:00 on 14 January is 10:00 on 14 October.
    const periodFrom = DateTime.fromISO(next.sittingAt, { zone: spec.timezone }).minus(Duration.fromISO(policy.panels.period)).toUTC().toISO()!;
    const { panelId } = await panelRecords.recordScheduledPanel({ scheduleId: spec.scheduleId, occurrence: next.occurrence, sittingAt: next.sittingAt, periodFrom, policyVersion: policy.version });
    try {
      await startChild(panelWorkflow, { workflowId: panelWorkflowId(panelId), args: [{ panelId, policy }], parentClosePolicy: ParentClosePolicy.ABANDON });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    last = next.occurrence;
  }
  await continueAsNew<typeof panelScheduleWorkflow>({ spec, policy, lastOccurrence: last });
}
