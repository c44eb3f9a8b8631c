import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { ImportJob } from '../activities/imports';

const { importBatch, sendImportSummaries, finishImport } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 minutes',
  // A database or Temporal outage waits; each retry resumes from the first line not done.
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

/** Batches per run before handing over to a fresh one: each batch is a few events of history. */
const BATCHES_PER_RUN = 500;

/**
 * One import of a force's existing cases, id `import-<uuid>`: its lines a batch at a time until none is left (each
 * batch resumes from the first line not done, so a crash of the worker or the API loses nothing and repeats nothing),
 * then one catch-up summary to each person who holds something overdue.
 */
export async function importWorkflow(job: ImportJob): Promise<void> {
  for (let batch = 0; batch < BATCHES_PER_RUN; batch += 1) {
    const { remaining } = await importBatch(job);
    if (!remaining) {
      await sendImportSummaries({ importId: job.importId });
      await finishImport({ importId: job.importId });
      return;
    }
  }
  await continueAsNew<typeof importWorkflow>(job);
}
