import { condition } from '@temporalio/workflow';
import type { ClockPolicy, PolicySnapshot } from '../contracts/policy';
import { addPolicyDuration } from './calendar';

/**
 * One deadline owned by a workflow. Small and serialisable, so continue-as-new carries it whole:
 * due time, how many of its steps (reminders, then ladder levels) have fired, and whether it is stopped.
 */
export interface ClockState {
  /** Unique within the case: clock name + what it is about, e.g. `actionPlan.item:<actionId>`. */
  key: string;
  name: string;
  subjectId: string;
  startedAt: string;
  dueAt: string;
  stepsFired: number;
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
export function startClock(name: string, subjectId: string, startedAt: string, policy: PolicySnapshot, dueAt?: string): ClockState {
  const clockPolicy = policyFor(name, policy);
  if (clockPolicy.due === 'agreed' && !dueAt) throw new TypeError(`clock ${name} needs an agreed due time`);
  return {
    key: `${name}:${subjectId}`, name, subjectId, startedAt,
    dueAt: dueAt ?? addPolicyDuration(startedAt, clockPolicy.due, policy), stepsFired: 0, revision: 0,
  };
}

export function policyFor(name: string, policy: PolicySnapshot): ClockPolicy {
  const clockPolicy = policy.clocks[name];
  if (!clockPolicy) throw new TypeError(`policy ${policy.version} has no clock "${name}"`);
  return clockPolicy;
}

/** Every step of a clock in firing order: reminders before the due time, then each ladder level after it. */
export function clockSteps(clock: ClockState, policy: PolicySnapshot): ClockStep[] {
  const clockPolicy = policyFor(clock.name, policy);
  const reminders = (clockPolicy.remind ?? []).map((offset) => ({
    at: addPolicyDuration(clock.dueAt, offset, policy), kind: 'reminder' as const, to: ['owner'],
  }));
  const ladder = (clockPolicy.ladder ?? []).map((step) => ({
    at: addPolicyDuration(clock.dueAt, step.after, policy), kind: 'escalation' as const,
    to: Array.isArray(step.to) ? step.to : [step.to],
  }));
  return [...reminders, ...ladder]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((step, index) => ({ ...step, index }));
}

/**
 * Sleeps until each step is due and fires it through `fire` (an activity), until the clock stops or runs out
 * of steps. Durable: the wait is a Temporal timer, and `stepsFired` means no step fires twice after a replay
 * or continue-as-new. The clock is looked up by key on every turn, so commands may replace or stop it.
 */
export async function runClock(find: () => ClockState | undefined, policy: PolicySnapshot, fire: (clock: ClockState, step: ClockStep) => Promise<unknown>): Promise<void> {
  for (;;) {
    const clock = find();
    if (!clock || clock.stoppedAt) return;
    const next = clockSteps(clock, policy)[clock.stepsFired];
    if (!next) return;
    const revision = clock.revision;
    const wait = Date.parse(next.at) - Date.now();
    if (wait > 0) {
      const moved = await condition(() => clock.revision !== revision || clock.stoppedAt !== undefined, wait);
      if (moved) continue;
    }
    await fire(clock, next);
    clock.stepsFired += 1;
  }
}

export function stopClock(clock: ClockState, at: string): void {
  if (clock.stoppedAt) return;
  clock.stoppedAt = at;
  clock.revision += 1;
}
