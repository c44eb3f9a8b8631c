import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { DateTime } from 'luxon';
import type { createActivities } from '../activities';
import type { Calendar } from './clocks/calendar';
import { workflowNow } from './clocks/workflow-time';
import type { DeliverReportResult, ReportDelivery, ReportDeliveryRules } from './contracts/reports';
import { deliveriesDue } from './reports/delivery';
import { keepReportFiguresAhead } from './reports/keep-figures';

const { deliverReport } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '30 seconds', maximumInterval: '10 minutes', maximumAttempts: 20, nonRetryableErrorTypes: ['ReportFiguresUnavailable'] },
});

export interface ReportWorkflowInput {
  /** The regional policy's `reports` section, with its version. */
  rules: ReportDeliveryRules & { version: string };
  /** The regional policy's zone and non-working days, and its version (recorded with each sending). */
  calendar: Calendar;
  policyVersion: string;
}

/** Set by Temporal on a run a Schedule started: the time it was scheduled for (a backfill's past time included). */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * Started every morning by the `report-delivery` Schedule: first has the figures of the month and the quarter just ended
 * kept (keepReportFigures), then works out from the rules which packs are due today (the
 * day the Schedule meant, so a backfill of a missed day sends that day's), and has an activity build each report,
 * draw its charts and email it. Each recipient's email is keyed by report, period and person, so a retried activity,
 * a restarted worker or a second run of the day sends nothing twice.
 */
export async function reportWorkflow(input: ReportWorkflowInput): Promise<{ day: string; deliveries: (ReportDelivery & DeliverReportResult)[] }> {
  const scheduled = workflowInfo().typedSearchAttributes.get(SCHEDULED_START);
  const at = scheduled ? scheduled.getTime() : workflowNow();
  const day = DateTime.fromMillis(at, { zone: input.calendar.timezone }).toISODate() as string;
  const deliveries: (ReportDelivery & DeliverReportResult)[] = [];
  if (patched('keep-report-figures')) {
    // The month and quarter just ended computed and kept before anyone opens them; without them a pack is computed when asked.
    await keepReportFiguresAhead(day);
  }
  for (const due of deliveriesDue(day, input.rules, input.calendar)) {
    const result = await deliverReport({ ...due, rulesVersion: input.rules.version, policyVersion: input.policyVersion, recipients: input.rules.recipients });
    deliveries.push({ ...due, ...result });
  }
  return { day, deliveries };
}
