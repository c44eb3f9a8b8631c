import { continueAsNew, patched, proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { ImportJob } from '../activities/imports';
import { keepReportFiguresAhead } from './reports/keep-figures';

type Activities = ReturnType<typeof createActivities>;
// A database or Temporal outage waits; each retry resumes from the first line not done.
const retry: RetryPolicy = { initialInterval: '2 seconds', maximumInterval: '1 minute' };
const { importBatch } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  // Each line heartbeats: a worker killed mid-batch is retried on another within seconds, not at the timeout.
  heartbeatTimeout: '15 seconds',
  retry,
});
const { sendImportSummaries, finishImport } = proxyActivities<Activities>({ startToCloseTimeout: '10 minutes', retry });

/** Batches per run before handing over to a fresh one: each batch is a few events of history. */
const BATCHES_PER_RUN = 500;

/**
 * One import of a force's existing cases, id `import-<uuid>`: its lines a batch at a time until none is left (each
 * batch resumes from the first line not done, so a crash of the worker or the API loses nothing and repeats nothing),
 * then one catch-up summary to each person who holds something overdue, and the report figures kept again before the
 * import is done.
 */
export async function importWorkflow(job: ImportJob): Promise<void> {
  for (let batch = 0; batch < BATCHES_PER_RUN; batch += 1) {
    const { remaining } = await importBatch(job);
    if (!remaining) {
      await sendImportSummaries({ importId: job.importId });
      // The imported past is back-dated, so the report figures it touches were forgotten: kept again before the import is
      // done, so the first person to open a pack afterwards does not wait for 13 periods to be computed.
      if (patched('keep-report-figures-after-import')) await keepReportFiguresAhead();
      await finishImport({ importId: job.importId });
      return;
    }
  }
  await continueAsNew<typeof importWorkflow>(job);
}
