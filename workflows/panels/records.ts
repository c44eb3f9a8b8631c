import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities';

/** The panel workflows' record writes and emails: short, retried until the database and mail are back. */
export const panelRecords = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
