import type { WorkerOptions } from '@temporalio/worker';

/**
 * How the case-pipeline worker takes work, shared with `npm run bench:deadlines` so the benchmark measures the
 * settings that ship. Few workflow task slots: a timer is set when its task completes, so tasks queued inside
 * the worker set deadlines late (measured with the benchmark).
 */
export const WORKER_TUNING = {
  maxConcurrentWorkflowTaskExecutions: 10,
  // Each cached case workflow holds about 1 MiB: a bound keeps the worker's memory flat however many cases are open
  // (an import starts hundreds); a case out of the cache is replayed from its history when it next wakes.
  maxCachedWorkflows: 300,
} satisfies Partial<WorkerOptions>;
