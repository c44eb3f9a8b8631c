import type { WorkerOptions } from '@temporalio/worker';

/**
 * How the case-pipeline worker takes work, shared with `npm run bench:deadlines` so the benchmark measures the
 * settings that ship. Few workflow task slots: a timer is set when its task completes, so tasks queued inside
 * the worker set deadlines late (measured with the benchmark).
 */
export const WORKER_TUNING = {
  maxConcurrentWorkflowTaskExecutions: 10,
  // Each cached case workflow holds 0.2–0.5 MB (npm run bench:memory): a bound keeps the worker's memory flat however many cases are open
  // (an import starts hundreds); a case out of the cache is replayed from its history when it next wakes.
  maxCachedWorkflows: 300,
} satisfies Partial<WorkerOptions>;

/**
 * The shipped tuning with an operator's overrides from the environment (npm run bench:memory and bench:burst measure
 * them): WORKER_MAX_CACHED_WORKFLOWS, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, WORKER_MAX_CONCURRENT_ACTIVITIES,
 * WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES (positive integers), WORKER_STICKY_QUEUE_TIMEOUT (a duration, e.g. `10s`) and
 * WORKER_WORKFLOW_POLLERS (`autoscaling`, or a positive integer: at most that many workflow task polls at once) and
 * WORKER_SHARED_QUEUE_POLL_RATIO (the share of those polls on the queue shared by all workers, where the tasks of cases
 * out of the cache arrive; the SDK's 0.2 by default, the rest on the worker's own sticky queue).
 */
export function workerTuning(env: NodeJS.ProcessEnv = process.env): Partial<WorkerOptions> {
  const int = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer, got "${raw}"`);
    return value;
  };
  const overrides: Partial<WorkerOptions> = {};
  const cached = int('WORKER_MAX_CACHED_WORKFLOWS');
  if (cached !== undefined) overrides.maxCachedWorkflows = cached;
  const tasks = int('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS');
  if (tasks !== undefined) overrides.maxConcurrentWorkflowTaskExecutions = tasks;
  const activities = int('WORKER_MAX_CONCURRENT_ACTIVITIES');
  if (activities !== undefined) overrides.maxConcurrentActivityTaskExecutions = activities;
  const locals = int('WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES');
  if (locals !== undefined) overrides.maxConcurrentLocalActivityExecutions = locals;
  const sticky = env.WORKER_STICKY_QUEUE_TIMEOUT;
  if (sticky) {
    if (!/^\d+(ms|s|m)$/.test(sticky)) throw new TypeError(`WORKER_STICKY_QUEUE_TIMEOUT must be a duration like 10s, got "${sticky}"`);
    overrides.stickyQueueScheduleToStartTimeout = sticky as WorkerOptions['stickyQueueScheduleToStartTimeout'];
  }
  const ratio = env.WORKER_SHARED_QUEUE_POLL_RATIO;
  if (ratio) {
    const value = Number(ratio);
    if (!(value > 0 && value <= 1)) throw new TypeError(`WORKER_SHARED_QUEUE_POLL_RATIO must be a number above 0 and at most 1, got "${ratio}"`);
    overrides.nonStickyToStickyPollRatio = value;
  }
  const pollers = env.WORKER_WORKFLOW_POLLERS;
  if (pollers === 'autoscaling') overrides.workflowTaskPollerBehavior = { type: 'autoscaling' };
  else if (pollers) overrides.workflowTaskPollerBehavior = { type: 'simple-maximum', maximum: int('WORKER_WORKFLOW_POLLERS') };
  return { ...WORKER_TUNING, ...overrides };
}
