/** Words for the enums pages show; a value without one is shown as it is. */
const LABELS: Record<string, Record<string, string>> = {
  stage: {
    reported: 'Reported', investigating: 'Investigating', 'victim-disengaging': 'Victim disengaging', 'ea-requested': 'Early Advice requested',
    'ea-triage': 'Early Advice: CPS triage', 'ea-in-progress': 'Early Advice in progress', 'action-plan-open': 'Action plan open', 'clinic-review': 'Clinic review',
    'file-build': 'File build', 'charging-submitted': 'Charging file submitted', 'cps-review': 'CPS review', escalated: 'Escalated', 'nfa-proposed': 'NFA proposed',
    charged: 'Charged', 'nfa-confirmed': 'No further action', 'vrr-review': 'Right to Review', 'admin-finalised': 'Administratively finalised',
    'scrutiny-sampled': 'Sampled for scrutiny', closed: 'Closed',
  },
  clock: {
    'victim.supportReferral': 'Victim support referral', 'victim.keyEventUpdate': 'Victim update on a key event', 'victim.routineUpdate': 'Routine victim update',
    'earlyAdvice.consider': 'Decide on Early Advice', 'earlyAdvice.triage': 'CPS triage of Early Advice', 'earlyAdvice.advice': 'Early Advice from the CPS',
    'earlyAdvice.policeResponse': 'Police response to an Early Advice rejection', 'actionPlan.item': 'Action due', 'actionPlan.unanswered': 'Unanswered action plan',
    'charging.decision': 'CPS charging decision', 'bail.expiry': 'Bail expiry', 'rui.review': 'Released under investigation: review',
    'nfa.victimNotification': 'Tell the victim of the NFA', 'vrr.police.acknowledge': 'Acknowledge the Right to Review request',
    'vrr.police.decision': 'Police Right to Review decision', 'vrr.cps.decision': 'CPS Right to Review decision',
    'custody.detention': 'Detention time limit', 'custody.firstReview': 'First review of detention', 'custody.furtherReview': 'Review of detention',
    'custody.chargingDecision': 'CPS charging decision (suspect in custody)', 'thresholdTest.review': 'Full Code Test review (Threshold Test charge)',
    'bail.courtExtension': 'Court application to extend bail',
  },
  holder: { officer: 'officer in case', supervisor: 'supervisor', gatekeeper: 'gatekeeper (DS or above)', triage: 'CPS triage (DCP)', prosecutor: 'prosecutor', dcp: 'DCP' },
  organisation: { police: 'Police', cps: 'CPS', 'third-party': 'Third party' },
  offence: {
    rape: 'Rape', 'assault-by-penetration': 'Assault by penetration', 'sexual-assault': 'Sexual assault',
    'causing-sexual-activity': 'Causing sexual activity without consent', 'other-serious-sexual-offence': 'Other serious sexual offence',
  },
  taskKind: { reminder: 'Reminder', escalation: 'Escalation', clinic: 'Clinic' },
  triage: { accept: 'Accept and allocate a prosecutor', reject: 'Reject, with reasons' },
  fileTriage: { accept: 'Accept and allocate a reviewing prosecutor', return: 'Return to the police, with reasons' },
  planReview: { 'ready-to-submit': 'Ready: the file can be built and submitted', continue: 'Work continues on the plan' },
  test: { 'full-code': 'Full Code Test', threshold: 'Threshold Test' },
  category: { green: 'Green', 'green-priority': 'Green priority', red: 'Red (suspect in custody)' },
  decision: { charge: 'Charge', nfa: 'No further action', 'action-plan': 'Further action plan before a decision', returned: 'Return the file to the police' },
  withdrawalReview: { 're-engaged': 'The victim has re-engaged', 'evidence-led': 'Continue as an evidence-led case', nfa: 'No further action (outcome 16)' },
  reopenGround: { 'new-evidence': 'New evidence', 'review-upheld': 'A review found the decision wrong' },
  scheme: { police: 'Police scheme (a police decision)', cps: 'CPS scheme (a CPS decision)' },
  reviewOutcome: { upheld: 'Decision upheld', overturned: 'Decision overturned: reopen the case' },
  eaStatus: { 'awaiting-endorsement': 'Awaiting supervisor endorsement', 'awaiting-triage': 'Awaiting CPS triage', accepted: 'Accepted: advice being prepared', rejected: 'Rejected', advised: 'Advice given' },
  submissionStatus: { 'awaiting-gatekeeper': 'With the gatekeeper', 'awaiting-triage': 'Awaiting CPS triage', 'in-review': 'With the reviewing prosecutor', returned: 'Returned', decided: 'Decided' },
  planStatus: { open: 'Open', 'awaiting-review': 'Awaiting CPS review', reviewed: 'Reviewed' },
  actionStatus: { open: 'Open', done: 'Done' },
  contactPreference: { phone: 'Phone', email: 'Email', letter: 'Letter', 'in-person': 'In person', 'via-isva': 'Through their ISVA' },
  custody: { bail: 'On pre-charge bail', rui: 'Released under investigation' },
  release: { nfa: 'Released: no further action', bail: 'Released on bail', rui: 'Released under investigation', charge: 'Charged' },
  courtBailLimit: { P12M: '12 months', P18M: '18 months (exceptionally complex)', P24M: '24 months (exceptionally complex)' },
  courtDecision: { granted: 'Granted', refused: 'Refused' },
  eaRejection: {
    'case-material-not-received': 'Case material not received', 'no-disclosure-schedule': 'No disclosure schedule', 'no-mg3': 'No MG3',
    'no-supervisor-comments': 'No supervisor comments', 'no-dv-checklist': 'No DV checklist', 'missing-mg11s': 'Missing MG11s', 'missing-exhibits': 'Missing exhibits',
    'no-interview-summary': 'No interview summary', 'missing-previous-convictions': 'Missing previous convictions', 'hard-media-not-provided': 'Hard media not provided',
    'third-party-material-not-provided': 'Third-party material not provided', 'oic-contact-details-wrong': "Officer's contact details wrong",
    'not-the-right-time': 'Not the right time', 'advice-not-needed': 'Advice not needed',
  },
  fileReturn: {
    'nfs-incomplete': 'National File Standard incomplete', 'key-evidence-missing': 'Key evidence missing', 'disclosure-incomplete': 'Disclosure incomplete',
    'wrong-test': 'Wrong test', 'wrong-category': 'Wrong category', 'supervisor-review-missing': 'Supervisor review missing', other: 'Other',
  },
  victimContact: { 'support-referral': 'Referral to support services', 'key-event-update': 'Update on a key event', 'routine-update': 'Routine update', 'nfa-notification': 'Told of the NFA decision' },
  nfs: {
    mg3: 'MG3 report to the CPS', caseSummary: 'MG5 case summary', victimAccount: "Victim's account (ABE or statement)", keyWitnessStatements: 'Key witness statements (MG11)',
    suspectInterview: 'Record of suspect interview (MG15)', exhibits: 'Exhibits (MG12)', disclosureSchedules: 'Disclosure schedules (MG6C/D/E)',
    previousConvictions: 'Previous convictions of suspect, victim and witnesses',
  },
  clinicReason: {
    'action-overdue': 'Action overdue', 'early-advice-waiting': 'Early Advice waiting too long', 'bail-expiring': 'Bail expiring soon',
    'second-action-plan': 'A second action plan', 'repeat-consultations': 'Repeated charging consultations', 'victim-disengaging': 'Victim may be disengaging',
    escalated: "Escalated by an action's deadline ladder", referred: 'Referred by a supervisor', 'repeat-suspect': 'Repeat suspect',
  },
  clinicOutcome: {
    continue: 'Continue: work goes on as planned', 'amend-plan': 'Amend the plan: re-date actions', 'ready-to-submit': 'Ready: build and submit the charging file',
    'consider-nfa': 'Consider no further action (a DS reviews)', escalate: 'Escalate to the DI',
  },
  clinicStatus: { scheduled: 'Scheduled', 'agenda-built': 'Agenda ready', held: 'Held', cancelled: 'Cancelled' },
  scheduleStatus: { active: 'Active', paused: 'Paused' },
  /** The cadences the schedule page offers, as the RFC 5545 rules the API takes. */
  cadence: { 'FREQ=WEEKLY': 'Every week', 'FREQ=WEEKLY;INTERVAL=2': 'Every two weeks', 'FREQ=WEEKLY;INTERVAL=4': 'Every four weeks', 'FREQ=MONTHLY': 'Every month, on the same date' },
  clinicDuration: { 30: '30 minutes', 60: '1 hour', 90: '1 hour 30 minutes', 120: '2 hours', 180: '3 hours' },
  agendaLeadTime: { P1D: '1 day before', P2D: '2 days before', P3D: '3 days before', P1W: '1 week before' },
  panelStatus: { convened: 'Convened: sample being drawn', sampled: 'Sampled: packs ready', closed: 'Closed' },
  panelStratum: { 'police-nfa': 'Police NFA (outcomes 15, 16)', 'cps-nfa': 'CPS NFA (outcomes 9, 15)', 'admin-finalised': 'Administratively finalised', charged: 'Charged (for contrast)' },
  panelClosure: { 'police-nfa': 'Police no further action', 'cps-nfa': 'CPS no further action', 'admin-finalised': 'Administratively finalised', 'charge-authorised': 'Charge authorised' },
  clockStatus: { met: 'Met', missed: 'Missed', running: 'Still running' },
  panelScore: { 1: '1 (poor)', 2: '2', 3: '3', 4: '4 (good)' },
  referralOutcome: { 'referred-for-review': 'Referred for review', 're-investigation': 'Re-investigation', 'no-action': 'No action' },
  /** Timeline events as a pack names them; the rest read well enough from their codes. */
  packEvent: {
    'police-nfa': 'Police NFA', 'cps-nfa': 'CPS NFA', 'early-advice-requested': 'Early Advice requested', 'early-advice-recorded': 'Early Advice given',
    'early-advice-accepted': 'Early Advice accepted', 'early-advice-endorsed': 'Early Advice endorsed', 'early-advice-rejected': 'Early Advice rejected',
    'early-advice-not-sought': 'Early Advice not sought', 'early-advice-rejection-appealed': 'Early Advice rejection appealed',
    'victim-review-requested': 'Right to Review requested', 'victim-review-acknowledged': 'Right to Review acknowledged', 'victim-review-decided': 'Right to Review decided',
  },
  packDocument: {
    'early-advice-request': 'Early Advice request', 'early-advice': 'Early Advice', 'early-advice-not-sought': 'Early Advice not sought', 'early-advice-rejection': 'Early Advice rejected',
    'charging-submission': 'Charging file (MG3)', 'charging-decision': 'Charging decision and rationale', 'file-return': 'File returned', 'police-nfa': 'Police NFA rationale',
    'admin-finalisation': 'Administrative finalisation', 'victim-contact': 'Victim contact', 'victim-withdrawal': 'Victim withdrawal', 'withdrawal-review': 'Withdrawal review',
    'clinic-outcome': 'Clinic outcome', reopening: 'Reopening',
  },
  outcome: { 1: 'Charged (outcome 1)', 9: 'CPS NFA, public interest (outcome 9)', 10: 'Police NFA, public interest (outcome 10)', 12: 'Prosecution prevented: suspect ill or dead (outcome 12)', 13: 'Named suspect identified: victim declines (outcome 13)', 14: 'Victim declines to support, suspect not identified (outcome 14)', 15: 'Evidential difficulties (outcome 15)', 16: 'Victim withdraws support (outcome 16)' },
};

export function label(kind: string, value: unknown): string {
  const key = String(value ?? '');
  return LABELS[kind]?.[key] ?? key;
}

/** Choices for a radios/checkboxes/select macro from one of the label lists. */
export function choices(kind: string, values: readonly (string | number)[], selected: readonly unknown[] = []) {
  return values.map((value) => ({ value: String(value), text: label(kind, value), checked: selected.map(String).includes(String(value)) }));
}

export type DueState = 'overdue' | 'soon' | 'later';

/** "Overdue by 3 days" / "Due in 5 hours", and whether it is overdue, within two days, or later. */
export function describeDue(iso: string | Date, now = Date.now()): { text: string; state: DueState } {
  const ms = (typeof iso === 'string' ? Date.parse(iso) : iso.getTime()) - now;
  const span = humanSpan(Math.abs(ms));
  if (ms < 0) return { text: `Overdue by ${span}`, state: 'overdue' };
  return { text: `Due in ${span}`, state: ms < 2 * 86_400_000 ? 'soon' : 'later' };
}

function humanSpan(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return plural(Math.max(minutes, 1), 'minute');
  // Within two days, hours and minutes: the detention and review clocks count in them.
  if (minutes < 48 * 60) return minutes % 60 ? `${plural(Math.floor(minutes / 60), 'hour')} ${plural(minutes % 60, 'minute')}` : plural(minutes / 60, 'hour');
  return plural(Math.round(minutes / 1440), 'day');
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Built once: a formatter per page row would cost more than the row (measured with npm run bench:web). */
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });

/** An instant as UK local time, `Tue, 1 Dec 2026, 10:00` (page filters and titles alike). */
export const ukDateTime = (iso?: string | Date | null): string => (iso ? DATE_TIME.format(new Date(iso)) : '');
export const ukDate = (iso?: string | Date | null): string => (iso ? DATE.format(new Date(iso)) : '');
