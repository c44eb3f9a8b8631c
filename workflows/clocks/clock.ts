import { condition, patched } from '@temporalio/workflow';
import type { ClockPolicy, PolicySnapshot } from '../contracts/policy';
import { addPolicyDuration, computeDue } from './calendar';
import { workflowNow } from './workflow-time';

/** Who holds a paused clock: the party whose step the case is waiting on. */
export type ClockHolder = 'police' | 'cps' | 'third-party';

/** A record of one step that fired: when, to whom. */
export interface ClockFiring {
  step: number;
  kind: 'reminder' | 'escalation';
  at: string;
  to: string[];
  /** Reached while a case's past was imported: counted, not sent (the people got one catch-up summary instead). */
  caughtUp?: true;
}

/**
 * One deadline owned by a workflow. Small and serialisable, so continue-as-new carries it whole: due time and
 * how it was computed, paused span, ladder steps fired, acknowledgement, due-date changes.
 */
export interface ClockState {
  /** Unique within the case: clock name + what it is about, e.g. `actionPlan.item:<actionId>`. */
  key: string;
  name: string;
  subjectId: string;
  startedAt: string;
  /** The due time in force: the computed or agreed one, moved by approved changes and paused spans. */
  dueAt: string;
  explanation: string;
  stepsFired: number;
  firings: ClockFiring[];
  pausedAt?: string;
  pause?: { heldBy: ClockHolder; by: string };
  /** Total time spent paused; already added to `dueAt`. */
  pausedMs: number;
  acknowledged?: { by: string; at: string };
  changes: { from: string; to: string; by: string; approvedBy: string; at: string }[];
  stoppedAt?: string;
  /** Bumped whenever something moves the clock, so a sleeping loop re-reads its next step. */
  revision: number;
}

export interface ClockStep {
  index: number;
  at: string;
  kind: 'reminder' | 'escalation';
  to: string[];
}

/** A new clock: due by the policy's duration from `startedAt`, or at an agreed `dueAt` (policy `due: agreed`). */
export function startClock(name: string, subjectId: string, startedAt: string, policy: PolicySnapshot, agreedDueAt?: string): ClockState {
  const clockPolicy = policyFor(name, policy);
  if (clockPolicy.due === 'agreed' && !agreedDueAt) throw new TypeError(`clock ${name} needs an agreed due time`);
  const { dueAt, explanation } = agreedDueAt
    ? { dueAt: agreedDueAt, explanation: `agreed due date ${agreedDueAt}` }
    : computeDue(startedAt, clockPolicy.due, policy);
  return { key: `${name}:${subjectId}`, name, subjectId, startedAt, dueAt, explanation, stepsFired: 0, firings: [], pausedMs: 0, changes: [], revision: 0 };
}

export function policyFor(name: string, policy: PolicySnapshot): ClockPolicy {
  const clockPolicy = policy.clocks[name];
  if (!clockPolicy) throw new TypeError(`policy ${policy.version} has no clock "${name}"`);
  return clockPolicy;
}

/**
 * Steps by policy snapshot (the object a workflow holds), clock name and due time. The clock loop and every case
 * view ask for a clock's next step, and each answer is date arithmetic in the policy's time zone; the steps only
 * change when the due time does. Pure, so safe in workflow code; bounded per snapshot.
 */
const stepCache = new WeakMap<PolicySnapshot, Map<string, readonly ClockStep[]>>();
const STEP_CACHE_LIMIT = 500;

/** Every step of a clock in firing order: reminders before the due time, then each ladder level after it. */
export function clockSteps(clock: Pick<ClockState, 'name' | 'dueAt'>, policy: PolicySnapshot): readonly ClockStep[] {
  let byClock = stepCache.get(policy);
  if (!byClock) stepCache.set(policy, (byClock = new Map()));
  const key = `${clock.name}|${clock.dueAt}`;
  const cached = byClock.get(key);
  if (cached) return cached;
  if (byClock.size >= STEP_CACHE_LIMIT) byClock.clear();
  const steps = computeSteps(clock, policy);
  byClock.set(key, steps);
  return steps;
}

function computeSteps(clock: Pick<ClockState, 'name' | 'dueAt'>, policy: PolicySnapshot): readonly ClockStep[] {
  const clockPolicy = policyFor(clock.name, policy);
  const reminders = (clockPolicy.remind ?? []).map((offset) => ({
    at: addPolicyDuration(clock.dueAt, offset, policy), kind: 'reminder' as const, to: ['owner'],
  }));
  const ladder = (clockPolicy.ladder ?? []).map((step) => ({
    at: addPolicyDuration(clock.dueAt, step.after, policy), kind: 'escalation' as const,
    to: Array.isArray(step.to) ? step.to : [step.to],
  }));
  // Frozen: the same objects are handed to every caller.
  return Object.freeze([...reminders, ...ladder]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((step, index) => Object.freeze({ ...step, to: Object.freeze([...step.to]) as string[], index })));
}

/** The step due next, if the clock is live: not stopped, not paused, and not acknowledged past its due time. */
export function nextStep(clock: ClockState, policy: PolicySnapshot): ClockStep | undefined {
  if (clock.stoppedAt || clock.pausedAt) return undefined;
  const next = clockSteps(clock, policy)[clock.stepsFired];
  // An acknowledged escalation stops the climb: no further ladder steps for this breach.
  if (next?.kind === 'escalation' && clock.acknowledged) return undefined;
  return next;
}

/**
 * Sleeps until each step is due and fires it through `fire` (an activity), until the clock stops or runs out
 * of steps. Durable: the wait is a Temporal timer, and `stepsFired` means no step fires twice after a replay
 * or continue-as-new. The clock is looked up by key on every turn, so commands may pause, move or replace it.
 */
export async function runClock(find: () => ClockState | undefined, policy: PolicySnapshot, fire: (clock: ClockState, step: ClockStep) => Promise<unknown>): Promise<void> {
  for (;;) {
    const clock = find();
    if (!clock || clock.stoppedAt) return;
    const revision = clock.revision;
    const next = nextStep(clock, policy);
    if (!next) {
      // Paused, acknowledged or out of steps: sleep until a command changes the clock.
      await condition(() => clock.revision !== revision);
      continue;
    }
    const wait = Date.parse(next.at) - workflowNow();
    if (wait > 0) {
      const moved = await condition(() => clock.revision !== revision, wait);
      if (moved) continue;
    }
    // A step is recorded before it is sent, so the notice can carry the case's state with the step in it (the case
    // page reads that state from the projection). Cases that fired steps the other way round replay that way.
    if (patched('clock-step-recorded-first')) {
      recordFiring(clock, next);
      await fire(clock, next);
    } else {
      await fire(clock, next);
      recordFiring(clock, next);
    }
  }
}

function recordFiring(clock: ClockState, step: ClockStep): void {
  clock.stepsFired += 1;
  clock.firings.push({ step: step.index, kind: step.kind, at: new Date(workflowNow()).toISOString(), to: step.to });
}

export function stopClock(clock: ClockState, at: string): void {
  if (clock.stoppedAt) return;
  clock.stoppedAt = at;
  clock.revision += 1;
}

export function pauseClock(clock: ClockState, at: string, heldBy: ClockHolder, by: string): void {
  clock.pausedAt = at;
  clock.pause = { heldBy, by };
  clock.revision += 1;
}

/** Resumes a paused clock: its due time (and every step) moves later by the paused span. */
export function resumeClock(clock: ClockState, at: string): void {
  if (!clock.pausedAt) return;
  const span = Math.max(0, Date.parse(at) - Date.parse(clock.pausedAt));
  clock.pausedMs += span;
  clock.dueAt = new Date(Date.parse(clock.dueAt) + span).toISOString();
  clock.pausedAt = undefined;
  clock.pause = undefined;
  clock.revision += 1;
}

/**
 * Moves the due time (an approved change). Steps whose time has already passed under the new schedule count as
 * superseded rather than firing late in a burst; an acknowledgement belongs to the old breach and is cleared.
 */
export function moveDueDate(clock: ClockState, dueAt: string, at: string, by: string, approvedBy: string, policy: PolicySnapshot): void {
  clock.changes.push({ from: clock.dueAt, to: dueAt, by, approvedBy, at });
  clock.dueAt = dueAt;
  clock.explanation = `due date moved to ${dueAt} (approved by ${approvedBy})`;
  supersedePastSteps(clock, at, policy);
  clock.acknowledged = undefined;
}

/**
 * Counts the steps already past at `at` as superseded, so a clock armed from an earlier start (a detention from its
 * relevant time, a review date set at charge) does not fire its past reminders late in a burst.
 */
export function supersedePastSteps(clock: ClockState, at: string, policy: PolicySnapshot): void {
  clock.stepsFired = clockSteps(clock, policy).filter((s) => Date.parse(s.at) <= Date.parse(at)).length;
  clock.revision += 1;
}

/** Fills fields added since a clock was first carried, so cases started on older code keep running. */
export function upgradeClock(clock: ClockState): ClockState {
  clock.firings ??= [];
  clock.pausedMs ??= 0;
  clock.changes ??= [];
  clock.explanation ??= `due ${clock.dueAt}`;
  return clock;
}

export function acknowledgeClock(clock: ClockState, at: string, by: string): void {
  clock.acknowledged = { by, at };
  clock.revision += 1;
}
