import { clockSteps, startClock, type ClockState } from '../clocks/clock';
import type { CaseRegistration, CaseStage } from '../contracts/case';
import type { CaseCommandInput } from '../contracts/commands';
import type { PolicySnapshot } from '../contracts/policy';
import type { Outcome } from './decide';
import { REGISTRATION_CLOCKS, stepRecipients } from './recipients';
import { decide } from './rules';
import { newCaseState, type CaseState } from './state';

/** One command of a case's past, at the time it was made. */
export interface PastCommand {
  at: string;
  input: CaseCommandInput;
}

/** What a past command did, as the timeline records it. */
export interface ReplayedEvent {
  seq: number;
  at: string;
  input: CaseCommandInput;
  outcome: Outcome;
  fromStage: CaseStage;
  toStage: CaseStage;
}

/** A clock past due when the history ends: where it sits on its ladder, and who its past steps went to. */
export interface OverdueClock {
  clockKey: string;
  clockName: string;
  dueAt: string;
  startedAt: string;
  /** The last step it reached (its index on the ladder), and that step's kind. */
  step: number;
  kind: 'reminder' | 'escalation';
  /** Everyone its past steps went to, relative to the case (`officer`, `police:DS`…). */
  recipients: string[];
  /** Whose work it is: the organisation of the people who must act before it falls due. */
  owner: 'police' | 'cps';
}

export type ReplayResult =
  | { ok: true; state: CaseState; events: ReplayedEvent[]; overdue: OverdueClock[] }
  | { ok: false; index: number; rule: string; reason: string };

/**
 * A case's past replayed through the pipeline's own rules (the same `decide` the case workflow runs), each command
 * at its original time: clocks are armed and computed from those times. A command the rules refuse stops the replay
 * with the rule's reason. Steps of a clock that fell due before `now` are caught up, not sent: the clock takes its
 * place on the ladder (recorded as firings marked `caughtUp`), and what is overdue at `now` is reported with whom
 * each past step would have told. Pure: no I/O, so the API's dry run and the import's activity answer alike.
 */
export function replayCase(registration: CaseRegistration, policy: PolicySnapshot, past: PastCommand[], now: string): ReplayResult {
  const state = newCaseState();
  state.registered = true;
  state.seq = 1;
  for (const name of REGISTRATION_CLOCKS) if (policy.clocks[name]) state.clocks.push(startClock(name, registration.caseId, registration.reportedAt, policy));
  const events: ReplayedEvent[] = [];
  let previous = registration.reportedAt;
  for (const [index, { at, input }] of past.entries()) {
    if (Date.parse(at) < Date.parse(previous)) return { ok: false, index, rule: 'chronology', reason: `happened before the event or report it follows (${previous})` };
    if (Date.parse(at) > Date.parse(now)) return { ok: false, index, rule: 'chronology', reason: 'is in the future' };
    catchUp(state, at, policy);
    const fromStage = state.stage;
    let outcome: Outcome;
    try {
      outcome = decide(state, input, { now: at, registration, policy, patched: () => true });
    } catch (err) {
      const failure = err as { type?: string; message?: string };
      if (failure.type === 'IllegalTransition' || failure.type === 'InvalidCommand') return { ok: false, index, rule: failure.type, reason: failure.message ?? 'refused' };
      throw err;
    }
    state.seq += 1;
    events.push({ seq: state.seq, at, input, outcome, fromStage, toStage: state.stage });
    previous = at;
  }
  catchUp(state, now, policy);
  return { ok: true, state, events, overdue: overdueAt(state, now, policy) };
}

/** Every step of a running clock due by `at` counts as reached without being sent. */
function catchUp(state: CaseState, at: string, policy: PolicySnapshot): void {
  for (const clock of state.clocks) {
    if (clock.stoppedAt || clock.pausedAt) continue;
    const steps = clockSteps(clock, policy);
    while (clock.stepsFired < steps.length && Date.parse(steps[clock.stepsFired].at) <= Date.parse(at)) {
      const step = steps[clock.stepsFired];
      if (step.kind === 'escalation' && clock.acknowledged) break;
      clock.firings.push({ step: step.index, kind: step.kind, at: step.at, to: step.to, caughtUp: true });
      clock.stepsFired += 1;
    }
  }
}

function overdueAt(state: CaseState, now: string, policy: PolicySnapshot): OverdueClock[] {
  const overdue: OverdueClock[] = [];
  for (const clock of state.clocks as ClockState[]) {
    if (clock.stoppedAt || clock.pausedAt || Date.parse(clock.dueAt) > Date.parse(now) || !clock.stepsFired) continue;
    const steps = clockSteps(clock, policy).slice(0, clock.stepsFired);
    const last = steps.at(-1)!;
    overdue.push({
      clockKey: clock.key, clockName: clock.name, dueAt: clock.dueAt, startedAt: clock.startedAt, step: last.index, kind: last.kind,
      recipients: [...new Set(steps.flatMap((s) => stepRecipients(clock, s, state, policy)))],
      owner: stepRecipients(clock, { to: ['owner'] }, state, policy).some((r) => r === 'prosecutor' || r.startsWith('cps:')) ? 'cps' : 'police',
    });
  }
  return overdue;
}
