import { condition, proxyActivities, proxySinks, sleep, type Sinks, workflowInfo } from '@temporalio/workflow';
import { clockSteps, runClock, startClock, stopClock } from '../workflows/clocks/clock';
import type { PolicySnapshot } from '../workflows/contracts/policy';
import { BENCH_CLOCK } from './bench-policy';

/**
 * Workflows for `npm run bench:deadlines` (a benchmark, not part of the product): one deadline each, armed
 * through the project's own clock mechanism, and the same deadline as a bare Temporal timer for comparison.
 */
export interface DeadlineFired {
  key: string;
  dueAt: string;
  step: number;
}

export interface BenchActivities {
  deadlineFired(fired: DeadlineFired): Promise<void>;
}

/** Instrumentation only: tells the bench process a workflow's first task ran (its timer is being set). No history. */
export interface BenchSinks extends Sinks {
  bench: { armed(): void };
}

const { deadlineFired } = proxyActivities<BenchActivities>({ startToCloseTimeout: '10 seconds' });
const { bench } = proxySinks<BenchSinks>();

/**
 * One clock started with an explicit due time and run by `runClock`, whose step fires the activity. Once every
 * step has fired the workflow stops the clock, as a case does when the thing it times is done, and ends.
 */
export async function deadlineBenchWorkflow(input: { dueAt: string; policy: PolicySnapshot }): Promise<void> {
  const { policy } = input;
  bench.armed();
  const clock = startClock(BENCH_CLOCK, workflowInfo().workflowId, new Date().toISOString(), policy, input.dueAt);
  const steps = clockSteps(clock, policy).length;
  const running = runClock(() => clock, policy, (fired, step) => deadlineFired({ key: fired.key, dueAt: step.at, step: step.index }));
  await condition(() => clock.stepsFired >= steps);
  stopClock(clock, new Date().toISOString());
  await running;
}

/** The platform ceiling: a bare timer until `dueAt`, then the same activity. */
export async function timerBenchWorkflow(input: { dueAt: string }): Promise<void> {
  bench.armed();
  const wait = Date.parse(input.dueAt) - Date.now();
  if (wait > 0) await sleep(wait);
  await deadlineFired({ key: `timer:${workflowInfo().workflowId}`, dueAt: input.dueAt, step: 0 });
}
