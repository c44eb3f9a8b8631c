/**
 * When the monthly RASSO pack and the quarterly report go out, and to whom: the `reports` section of the regional
 * policy (policy/default-policy.json), versioned on its own like the agenda and panel rules, and recorded with each
 * sending (`report_deliveries`).
 */
export type ReportKindName = 'monthly' | 'quarterly';

/**
 * What a recipient's figures cover: `unit` their own police unit (when within what they may read), `force`/`area` the
 * whole of what they may read (reportScopeFor: a supervisor's force, CPS staff's area, an analyst's force, area or region).
 */
export type ReportRecipientScope = 'unit' | 'force' | 'area';

export interface ReportRecipientRule {
  /** `person:<uuid>`, `role:<role>` (e.g. `role:analyst`), or `<police|cps>:<rank>` (e.g. `police:DCI`, `cps:SDCP`). */
  to: string;
  scope: ReportRecipientScope;
}

export interface ReportDeliveryRules {
  monthly: {
    /** The monthly RASSO meeting: a recurrence like a clinic's (a local first meeting and RRULE parts). */
    meeting: { firstMeetingAt: string; rrule: string };
    /** The pack goes this many working days before the meeting (never before the month it covers has ended). */
    workingDaysBefore: number;
  };
  quarterly: {
    /** The report goes on this working day after the quarter ends. */
    workingDaysAfter: number;
  };
  /** A run that missed its day (the worker was down) still sends within this many days (quarterly; monthly: until the meeting). */
  catchUpDays: number;
  recipients: ReportRecipientRule[];
}

/** The schedule that starts `reportWorkflow` every morning. */
export const REPORT_SCHEDULE_ID = 'report-delivery';

/** One sending: which report, for which period, when it is due, and the meeting it is for (monthly). */
export interface ReportDelivery {
  kind: ReportKindName;
  /** `2026-10` or `2026-Q3`. */
  periodId: string;
  /** The local date (YYYY-MM-DD) it is due to go. */
  sendOn: string;
  /** The meeting's instant (UTC), monthly only. */
  meetingAt?: string;
  /** The pack could not go the set number of working days before the meeting: the month it covers had not ended. */
  heldUntilPeriodEnd?: boolean;
}

/** What the deliver activity is asked: one sending, under the rules and policy recorded with it. */
export interface DeliverReportInput extends ReportDelivery {
  rulesVersion: string;
  policyVersion: string;
  recipients: ReportRecipientRule[];
}

export interface DeliverReportResult {
  recipients: number;
  sent: number;
}
