import { condition, defineUpdate, proxyLocalActivities, proxySinks, setHandler, sleep, type Sinks, workflowInfo } from '@temporalio/workflow';
import { type ClockState, clockSteps, runClock, startClock, stopClock } from '../workflows/clocks/clock';
import type { PolicySnapshot } from '../workflows/contracts/policy';
import { BENCH_CLOCK } from './bench-policy';

/**
 * Workflows for `npm run bench:deadlines` (a benchmark, not part of the product). A deadline is armed either the
 * way a case arms a clock (a command into a running, case-shaped workflow) or as a workflow of its own; either
 * way through the project's clock mechanism, or as a bare Temporal timer for comparison. Every firing runs one
 * local activity, as a clock step in a case runs the notification.
 */
export interface DeadlineFired {
  /** Which deadline: unique within a bench run. */
  key: string;
  dueAt: string;
  step: number;
}

export interface BenchActivities {
  deadlineFired(fired: DeadlineFired): Promise<void>;
}

/** Instrumentation only: tells the bench process a workflow's first task ran (for a deadline's own workflow: its timer is being set). No history. */
export interface BenchSinks extends Sinks {
  bench: { firstTask(): void };
}

export interface ArmDeadline { key: string; dueAt: string }

/** Arms one deadline in a running bench case; returns once the workflow task that sets its timer has completed. */
export const armDeadlineUpdate = defineUpdate<void, [ArmDeadline]>('armDeadline');

// A local activity, as `caseWorkflow` runs its notifications when a clock step fires.
const { deadlineFired } = proxyLocalActivities<BenchActivities>({ startToCloseTimeout: '10 seconds' });
const { bench } = proxySinks<BenchSinks>();

/** One deadline as a clock: started with the agreed due time and run by `runClock`, whose step fires the activity. */
function armClock(deadline: ArmDeadline, policy: PolicySnapshot): { clock: ClockState; running: Promise<void> } {
  const clock: ClockState = startClock(BENCH_CLOCK, deadline.key, new Date().toISOString(), policy, deadline.dueAt);
  const running = runClock(() => clock, policy, (fired, step) => deadlineFired({ key: deadline.key, dueAt: step.at, step: step.index }));
  return { clock, running };
}

/** One deadline as a bare timer until `dueAt`, then the same activity. */
async function runDeadlineTimer(deadline: ArmDeadline): Promise<void> {
  const wait = Date.parse(deadline.dueAt) - Date.now();
  if (wait > 0) await sleep(wait);
  await deadlineFired({ key: deadline.key, dueAt: deadline.dueAt, step: 0 });
}

/**
 * Case-shaped: a long-running workflow that clocks are armed in by commands, as `caseWorkflow` arms them from
 * its `caseCommand` Update; a clock whose steps have fired waits, as in a case, for a command that never comes.
 * It never ends by itself; the bench's dev server is thrown away afterwards.
 */
export async function benchCaseWorkflow(input: { kind: 'clock' | 'timer'; policy: PolicySnapshot }): Promise<void> {
  bench.firstTask();
  const clocks: ClockState[] = [];
  setHandler(armDeadlineUpdate, (deadline) => {
    if (input.kind === 'clock') clocks.push(armClock(deadline, input.policy).clock);
    else void runDeadlineTimer(deadline);
  });
  await condition(() => false);
}

/** A workflow of its own per deadline, through the clock mechanism; it stops the clock and ends once the step fired. */
export async function deadlineBenchWorkflow(input: ArmDeadline & { policy: PolicySnapshot }): Promise<void> {
  bench.firstTask();
  const { clock, running } = armClock(input, input.policy);
  const steps = clockSteps(clock, input.policy).length;
  await condition(() => clock.stepsFired >= steps);
  stopClock(clock, new Date().toISOString());
  await running;
}

/** A workflow of its own per deadline, as a bare timer: the platform's figure for the same load. */
export async function timerBenchWorkflow(input: ArmDeadline): Promise<void> {
  bench.firstTask();
  await runDeadlineTimer(input);
}

/** The throughput ceiling: no timer, the same activity at once, then complete. */
export async function trivialBenchWorkflow(): Promise<void> {
  await deadlineFired({ key: `trivial:${workflowInfo().workflowId}`, dueAt: new Date().toISOString(), step: 0 });
}
