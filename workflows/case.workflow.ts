import {
  allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { type CaseRegistration, type CaseStage, type CaseView, caseViewQuery, registrationRecordedUpdate } from './contracts/case';
import type { PolicySnapshot } from './contracts/policy';
import { type ClockState, type ClockStep, clockSteps, runClock, startClock } from './clocks/clock';

type Activities = ReturnType<typeof createActivities>;

/** Projection writes: short, retried until the database is back (a case must never be lost). */
const projection = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Mail: SMTP can be slow or down; retried with back-off, idempotent by key. */
const mail = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

export interface CaseWorkflowInput {
  registration: CaseRegistration;
  policy: PolicySnapshot;
  /** Present after continue-as-new: everything the case knew, clocks included. */
  carried?: CaseState;
}

export interface CaseState {
  stage: CaseStage;
  registered: boolean;
  /** Timeline sequence: event id = workflow id + seq, so a retried write is a no-op. */
  seq: number;
  clocks: ClockState[];
}

/** The life of one case, from report to a charging decision. One workflow per case, id `case-<uuid>`. */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<void> {
  const { registration, policy } = input;
  const state: CaseState = input.carried ?? { stage: 'reported', registered: false, seq: 0, clocks: [] };
  const workflowId = workflowInfo().workflowId;

  setHandler(caseViewQuery, () => view(registration, policy, state));
  setHandler(registrationRecordedUpdate, async () => {
    await condition(() => state.registered);
    return view(registration, policy, state);
  });

  if (!state.registered) {
    state.seq += 1;
    await projection.recordCaseRegistered({ workflowId, seq: state.seq, registration, policyVersion: policy.version, stage: state.stage, occurredAt: new Date().toISOString() });
    state.registered = true;
    // Victims' Code: agreed routine updates; the default cadence comes from policy.
    state.clocks.push(startClock('victim.routineUpdate', registration.reportedAt, policy));
    await mail.notify({
      key: `${workflowId}:registered`,
      caseId: registration.caseId,
      template: 'case-registered',
      recipients: ['officer'],
    });
  }

  const fireStep = (clock: ClockState) => (step: ClockStep) =>
    mail.notify({
      key: `${workflowId}:clock:${clock.name}:${clock.startedAt}:step-${step.index}`,
      caseId: registration.caseId,
      template: step.kind === 'reminder' ? 'clock-reminder' : 'clock-escalation',
      recipients: step.to,
      clock: { name: clock.name, dueAt: clock.dueAt, step: step.index },
    });
  // Clocks run beside the case; their loops fail the workflow task (visibly, retried) on a bug.
  for (const clock of state.clocks) void runClock(clock, policy, fireStep(clock));

  // Cases live for months: hand the whole state to a fresh run before history grows large.
  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof caseWorkflow>({ registration, policy, carried: state });
}

function view(registration: CaseRegistration, policy: PolicySnapshot, state: CaseState): CaseView {
  return {
    caseId: registration.caseId,
    stage: state.stage,
    policyVersion: policy.version,
    enhancedRights: isEnhancedRights(registration),
    registered: state.registered,
    clocks: state.clocks.filter((c) => !c.stoppedAt).map((clock) => ({
      name: clock.name,
      dueAt: clock.dueAt,
      stepsFired: clock.stepsFired,
      nextStepAt: clockSteps(clock, policy)[clock.stepsFired]?.at,
    })),
  };
}

/** Victims' Code: victims of sexual offences are always eligible for enhanced rights (domain.md §2.8). */
export function isEnhancedRights(_registration: CaseRegistration): boolean {
  return true;
}
