/**
 * The events other systems may subscribe to: each timeline event type (case_events.type) and the clock steps, by the
 * CloudEvents `type` it leaves as. Shared by the worker (which writes the outbox) and the API (which validates a
 * subscription's filters).
 */
export const WEBHOOK_EVENT_TYPES: Readonly<Record<string, string>> = {
  'case-registered': 'case.registered',
  'early-advice-requested': 'case.early-advice.requested',
  'early-advice-endorsed': 'case.early-advice.endorsed',
  'early-advice-accepted': 'case.early-advice.accepted',
  'early-advice-rejected': 'case.early-advice.rejected',
  'early-advice-rejection-appealed': 'case.early-advice.appealed',
  'early-advice-recorded': 'case.early-advice.advised',
  'early-advice-not-sought': 'case.early-advice.not-sought',
  'action-completed': 'case.action.completed',
  'action-plan-reviewed': 'case.action-plan.reviewed',
  'file-submitted': 'case.submission.submitted',
  'submission-approved': 'case.submission.approved',
  'submission-returned': 'case.submission.returned',
  'submission-accepted': 'case.submission.accepted',
  'further-action-plan': 'case.submission.action-plan',
  'full-code-test-review-recorded': 'case.submission.full-code-review-recorded',
  // A charging decision, whoever made it: `data.decision` says which.
  'charge-authorised': 'case.decided',
  'cps-nfa': 'case.decided',
  'police-nfa': 'case.decided',
  'admin-finalised': 'case.decided',
  'case-closed': 'case.closed',
  'case-reopened': 'case.reopened',
  'clock-paused': 'case.clock.paused',
  'clock-resumed': 'case.clock.resumed',
  'due-date-changed': 'case.clock.due-date-changed',
  'escalation-acknowledged': 'case.clock.escalation-acknowledged',
  'clock-reminder': 'case.clock.reminder',
  'clock-escalation': 'case.clock.escalated',
  'bail-recorded': 'case.suspect.bailed',
  'bail-extended': 'case.suspect.bail-extended',
  'released-under-investigation': 'case.suspect.released-under-investigation',
  'designated-exceptionally-complex': 'case.suspect.designated-exceptionally-complex',
  'court-bail-extension-applied': 'case.suspect.court-bail-extension-applied',
  'court-bail-extension-refused': 'case.suspect.court-bail-extension-refused',
  'arrived-in-custody': 'case.suspect.arrived-in-custody',
  'detention-reviewed': 'case.suspect.detention-reviewed',
  'detention-extended': 'case.suspect.detention-extended',
  'detention-warrant-recorded': 'case.suspect.detention-warrant-recorded',
  'released-from-custody': 'case.suspect.released-from-custody',
  'victim-contact-recorded': 'case.victim.contacted',
  'victim-withdrawal-recorded': 'case.victim.withdrawal-recorded',
  'victim-withdrawal-reviewed': 'case.victim.withdrawal-reviewed',
  'victim-review-requested': 'case.review.requested',
  'victim-review-acknowledged': 'case.review.acknowledged',
  'victim-review-decided': 'case.review.decided',
  'clinic-outcome-recorded': 'case.clinic.outcome-recorded',
};

/** The CloudEvents type of a timeline event type; one not in the table still leaves, under `case.<type>`. */
export function webhookEventType(timelineType: string): string {
  return WEBHOOK_EVENT_TYPES[timelineType] ?? `case.${timelineType}`;
}

/** Every type a subscription can name. */
export const KNOWN_WEBHOOK_TYPES: readonly string[] = [...new Set(Object.values(WEBHOOK_EVENT_TYPES))].sort();

/** A filter: an exact type (`case.decided`) or a prefix ending in `.*` (`case.*`, `case.early-advice.*`). */
export const WEBHOOK_FILTER = /^case(\.[a-z][a-z-]*)*(\.\*)?$/;

export function filterMatches(filter: string, type: string): boolean {
  return filter.endsWith('.*') ? type.startsWith(filter.slice(0, -1)) : filter === type;
}

/** Whether a filter could ever match: an exact type must be known, a prefix must cover at least one known type. */
export function filterIsKnown(filter: string): boolean {
  return WEBHOOK_FILTER.test(filter) && KNOWN_WEBHOOK_TYPES.some((type) => filterMatches(filter, type));
}
