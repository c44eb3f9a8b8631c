import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities';

/** The clinic workflows' record writes: short, retried until the database is back (a sitting must not be lost). */
export const clinicRecords = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
