import type { ActionPlanView, ActionView, CaseStage, CustodyView, DetentionView, EarlyAdviceView, ReviewView, SubmissionView } from '../contracts/case';
import type { ClockState } from '../clocks/clock';

/**
 * Everything a case workflow knows. Plain data, so continue-as-new carries it whole and a validator can
 * dry-run a command on a copy.
 */
export interface CaseState {
  stage: CaseStage;
  registered: boolean;
  /** Timeline sequence: event id = workflow id + seq, so a retried write is a no-op. */
  seq: number;
  clocks: ClockState[];
  earlyAdvice: EarlyAdviceView[];
  actionPlans: (ActionPlanView & { afterFullCodeSubmission: boolean })[];
  actions: ActionView[];
  submissions: SubmissionView[];
  referredToCps: boolean;
  earlyAdviceNotSought: boolean;
  outcomeCode?: number;
  /** Where the case was when the victim began to disengage; a re-engagement returns it there. */
  stageBeforeWithdrawal?: CaseStage;
  /** When the case was last finalised with NFA: the Right to Review window runs from here. */
  nfaAt?: string;
  /** Pre-charge bail or release under investigation, per suspect (added after the first release: may be absent). */
  custody?: CustodyView[];
  /** Detention at a police station, per suspect (added with the detention clocks: may be absent). */
  detention?: DetentionView[];
  reviews?: ReviewView[];
}

export function newCaseState(): CaseState {
  return {
    stage: 'investigating', registered: false, seq: 0, clocks: [], earlyAdvice: [], actionPlans: [], actions: [],
    submissions: [], referredToCps: false, earlyAdviceNotSought: false, custody: [], reviews: [],
  };
}

/** Stages in which the case is still moving towards a decision (a withdrawal may interrupt them). */
export const OPEN_STAGES: CaseStage[] = [
  'investigating', 'ea-requested', 'ea-triage', 'ea-in-progress', 'action-plan-open', 'clinic-review', 'file-build', 'charging-submitted', 'cps-review',
];
export const DECIDED_STAGES: CaseStage[] = ['charged', 'nfa-confirmed', 'admin-finalised'];

/** A deep copy of the state for a dry run (the Update validator, what a person may do now): plain data only. */
export function copyState(state: CaseState): CaseState {
  return copyPlain(state);
}

/** A deep copy that cannot be changed: a dry run that tries to change it throws a TypeError (modules are strict). */
export function frozenCopy(state: CaseState): Readonly<CaseState> {
  return freezePlain(copyPlain(state));
}

// for…in over plain data (no inherited enumerable keys): about five times faster than Object.entries here.
function copyPlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = copyPlain(value[key]);
  return out as T;
}

function freezePlain<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const key in value) freezePlain(value[key]);
    Object.freeze(value);
  }
  return value;
}
