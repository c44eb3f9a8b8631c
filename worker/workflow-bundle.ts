import type { BundleOptions, WorkerOptions } from '@temporalio/worker';

/**
 * How the worker bundles workflows/: one place, so the worker, the tests' bundle and the benchmarks' replays build
 * the same code.
 *
 * `preloadModules`: the worker thread evaluates every module of the bundle afresh for each workflow it creates (a new
 * case, and every replay of a case out of the cache: most firings of a morning's clocks). These are evaluated once and
 * shared instead: luxon and rrule, and the clocks' calendar and zone. They keep no workflow's state, only caches of
 * pure answers (time-zone formatters, a zone's offset per day) that every workflow would compute alike, and none
 * imports @temporalio/workflow, whose state is per workflow. Measured with the recorded histories replayed: about 13 %
 * less worker CPU a replay (README, "Worker tuning").
 */
export function workflowBundleOptions(): Pick<BundleOptions, 'workflowsPath' | 'preloadModules'> {
  return {
    workflowsPath: require.resolve('../workflows'),
    preloadModules: ['luxon', 'rrule', require.resolve('../workflows/clocks/zone'), require.resolve('../workflows/clocks/calendar')],
  };
}

/** The same, as a worker's options (a worker that bundles workflows/ itself: the worker, a replay worker). */
export function workerBundling(): Pick<WorkerOptions, 'workflowsPath' | 'bundlerOptions'> {
  const { workflowsPath, preloadModules } = workflowBundleOptions();
  return { workflowsPath, bundlerOptions: { preloadModules } };
}
