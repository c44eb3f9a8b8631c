import { continueAsNew, log, patched, proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { ImportJob } from '../activities/imports';

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
// As the report schedule's morning run keeps them: a few tries, then the figures are computed when first asked.
const { keepReportFigures } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '30 seconds', maximumInterval: '5 minutes', maximumAttempts: 3, nonRetryableErrorTypes: ['ReportFiguresUnavailable'] },
});

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
      if (patched('keep-report-figures-after-import')) await keepFigures();
      await finishImport({ importId: job.importId });
      return;
    }
  }
  await continueAsNew<typeof importWorkflow>(job);
}

/**
 * The imported past is back-dated, so the units' kept report figures were forgotten (their epoch moved); the month and
 * quarter just ended and their trends are computed and kept again here, as the morning run would, so the first person to
 * open a pack after the import reads kept figures instead of waiting for 13 periods to be computed (seconds at a
 * force's size). A failure only costs that wait.
 */
async function keepFigures(): Promise<void> {
  try {
    await keepReportFigures({});
  } catch (err) {
    log.warn('the report figures could not be kept after the import', { error: (err as Error).message });
  }
}
