import { log, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities';

const { keepReportFigures } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '30 seconds', maximumInterval: '5 minutes', maximumAttempts: 3, nonRetryableErrorTypes: ['ReportFiguresUnavailable'] },
});

/**
 * Has the worker compute and keep the report figures of the month and the quarter ended by the morning of `day` (by now
 * without it), and their trends, before anyone opens them. A few tries; a failure is only logged, since without the kept
 * figures a report is computed when first asked. The report schedule's morning run and the end of an import call it.
 */
export async function keepReportFiguresAhead(day?: string): Promise<void> {
  try {
    await keepReportFigures(day === undefined ? {} : { day });
  } catch (err) {
    log.warn('the report figures could not be kept ahead of time', { day, error: (err as Error).message });
  }
}
