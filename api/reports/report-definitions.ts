import type { FigureDefinition } from './report';

/**
 * What every figure of the monthly pack and the quarterly report counts, keyed by its dotted path in `PeriodFigures`
 * (a record's path stands for each of its entries). The response's `definitions` and docs/report-definitions.md are
 * both this table (a unit test keeps the document in step).
 *
 * Common ground, said once here and in the document: "in the period" means at or after the period's first instant
 * and before its end (`from` ≤ t < `to`, London calendar months and quarters); "at the period's end" means the state
 * after every event before `to`, measured at `to`; a case belongs to its unit (and the unit's force) as it stands now;
 * times are the timeline's (`case_events.occurred_at`: the original time for an imported event); days are elapsed
 * hours ÷ 24, so a span across a clock change is 23 or 25 hours a day as it really was.
 */
const d = (numerator: string, denominator: string | null, cohort: string, basis: string): FigureDefinition => ({ numerator, denominator, cohort, basis });

const EVENTS = 'timeline events (case_events) of the cases in scope';
const AT_END = 'state at the period\'s end, rebuilt from the timeline';

export const FIGURE_DEFINITIONS: Record<string, FigureDefinition> = {
  newCases: d('cases whose report time (cases.reported_at) falls in the period', null, 'cases in scope', 'count; a case counts once however many suspects it names'),

  'earlyAdvice.requested': d('Early Advice requests made in the period: an early-advice-requested event, or the endorsement of a request a DS or above made themselves (one event, early-advice-endorsed, with no earlier request event)', null, EVENTS, 'count of requests; an appeal of a rejection is not a new request'),
  'earlyAdvice.accepted': d('CPS triage decisions to accept made in the period (early-advice-accepted), an accepted appeal included', null, EVENTS, 'count of triage decisions'),
  'earlyAdvice.rejected': d('CPS triage decisions to reject made in the period (early-advice-rejected)', null, EVENTS, 'count of triage decisions'),
  'earlyAdvice.rejectionReasons': d('rejections made in the period, by reason code (a rejection giving two reasons counts under each)', null, EVENTS, 'count per reason code; codes with none are left out'),
  'earlyAdvice.turnaround.count': d('Early Advice given in the period (early-advice-recorded)', null, EVENTS, 'count of advice events'),
  'earlyAdvice.turnaround.median': d('median of the calendar days from each request to its advice, over advice given in the period', null, 'advice given in the period; the request\'s time is its first request or endorsement event', 'days = elapsed hours ÷ 24; median (the mean of the middle two for an even count), one decimal place; null with no advice'),
  'earlyAdvice.turnaround.within21DaysPct': d('advice given in the period no more than 21.0 days (504 hours) after its request', 'advice given in the period', 'as earlyAdvice.turnaround.median', 'percent, one decimal place (half up); null with no advice'),

  'decisions.charge': d('CPS decisions to charge made in the period (charge-authorised)', null, EVENTS, 'count of decisions'),
  'decisions.nfa': d('CPS decisions of no further action made in the period (cps-nfa: evidential, outcome 15, or public interest, outcome 9)', null, EVENTS, 'count of decisions; a police NFA is not a CPS decision (see nfaByOutcome)'),
  'decisions.action-plan': d('CPS decisions setting a further action plan made in the period (further-action-plan)', null, EVENTS, 'count of decisions'),
  'decisions.returned': d('files the CPS returned to the police in the period after accepting them for review (submission-returned by the CPS from cps-review)', null, EVENTS, 'count of decisions; a return at first triage is not a legal decision (see more.submissions)'),
  'decisions.adminFinalised': d('administrative finalisations by the CPS in the period (admin-finalised)', null, EVENTS, 'count'),
  chargeRate: d('decisions.charge', 'decisions.charge + decisions.nfa', 'CPS decisions made in the period', 'percent, one decimal place (half up); null with no charge or NFA decision'),

  'actionsOverdue.total': d('actions open and past their due time at the period\'s end', null, `actions of the cases in scope; ${AT_END}`, 'an action is open from its plan\'s recording until it is completed, its plan is reviewed as ready to submit, or the case is charged, decided NFA, administratively finalised or closed (its clock stopped); a clinic\'s new date re-opens it; its due time is the plan\'s agreed date, then each approved re-dating or clinic re-dating, each resumption after a pause; an action whose clock is paused at the end is held, not overdue; count'),
  'actionsOverdue.byBand': d('actionsOverdue.total by days overdue at the period\'s end: 0-7 (more than 0, up to 7), 8-14 (over 7, up to 14), 15-28 (over 14, up to 28), over-28', null, 'as actionsOverdue.total', 'days overdue = (period end − due time) in hours ÷ 24; an action exactly 7 days overdue is in 0-7; count per band'),
  'actionsOverdue.byOwner': d('actionsOverdue.total by the action\'s owner (police, cps)', null, 'as actionsOverdue.total', 'count per owner'),

  'reportToCharge.count': d('cases charged in the period (a charge-authorised event in the period; a case once)', null, EVENTS, 'count of cases'),
  'reportToCharge.median': d('median of the calendar days from report (cases.reported_at) to the charge decision, over cases charged in the period', null, 'cases charged in the period, each at its first charge decision in the period', 'days = elapsed hours ÷ 24; median, one decimal place; null with none'),
  nfaByOutcome: d('cases given an NFA outcome in the period (police-nfa, cps-nfa), by Home Office outcome code', null, `${EVENTS}; a case once per period, under its last NFA outcome in it`, 'count per outcome code; a case reopened later still counts in the period of its NFA'),

  'more.adultRape.reported': d('cases reported in the period for rape whose victim was 18 or over on the report date', null, 'cases in scope (Home Office adult rape basis: offence type rape, victim age from date of birth)', 'count'),
  'more.adultRape.charged': d('adult rape cases (as above) charged in the period', null, EVENTS, 'count of cases'),
  'more.adultRape.chargedPct': d('more.adultRape.charged', 'more.adultRape.reported', 'outcomes assigned in the period over offences recorded in the period (the Home Office outcome-rate basis: the two cohorts differ)', 'percent, one decimal place; null with none reported'),

  'more.earlyAdvice.notSought': d('records that Early Advice was not sought, with the reason, made in the period (early-advice-not-sought)', null, EVENTS, 'count'),
  'more.earlyAdvice.notSoughtPct': d('more.earlyAdvice.notSought', 'more.earlyAdvice.notSought + earlyAdvice.requested', 'decisions on whether to seek Early Advice in the period', 'percent, one decimal place; null with neither'),
  'more.earlyAdvice.firstTriaged': d('Early Advice requests whose first CPS triage decision was made in the period', null, EVENTS, 'count of requests'),
  'more.earlyAdvice.firstTimeAcceptedPct': d('requests first triaged in the period whose first triage decision was to accept (compliant first time)', 'more.earlyAdvice.firstTriaged', 'requests first triaged in the period', 'percent, one decimal place; null with none'),

  'more.submissions.total': d('charging files submitted in the period (file-submitted)', null, EVENTS, 'count'),
  'more.submissions.fullCode': d('files submitted in the period for the Full Code Test', null, EVENTS, 'count'),
  'more.submissions.threshold': d('files submitted in the period for the Threshold Test', null, EVENTS, 'count'),
  'more.submissions.red': d('files submitted in the period in category red (suspect in custody)', null, EVENTS, 'count'),
  'more.submissions.green': d('files submitted in the period in category green', null, EVENTS, 'count'),
  'more.submissions.greenPriority': d('files submitted in the period in category green priority', null, EVENTS, 'count'),
  'more.submissions.firstTriaged': d('files whose CPS triage decision (accepted for review, or returned from charging-submitted) was made in the period', null, EVENTS, 'count of files'),
  'more.submissions.firstTimeAcceptedPct': d('files triaged in the period that the CPS accepted (Code-compliant first time)', 'more.submissions.firstTriaged', 'files triaged in the period', 'percent, one decimal place; null with none'),

  'more.decisions.nfaEvidential': d('CPS NFA decisions in the period on evidential grounds (outcome 15)', null, EVENTS, 'count'),
  'more.decisions.nfaPublicInterest': d('CPS NFA decisions in the period on public interest grounds (outcome 9)', null, EVENTS, 'count'),
  'more.decisions.preNfaMeetingPct': d('CPS NFA decisions in the period recording a pre-NFA meeting with the investigator', 'decisions.nfa', 'CPS NFA decisions in the period', 'percent, one decimal place; null with none'),
  'more.decisions.adminFinalisedRate': d('decisions.adminFinalised', 'decisions.charge + decisions.nfa + decisions.adminFinalised', 'CPS finalisations in the period', 'percent, one decimal place; null with none'),

  'more.cpsDecisionTime.count': d('CPS decisions (charge, NFA, further action plan, return after review) made in the period', null, EVENTS, 'count'),
  'more.cpsDecisionTime.mean': d('mean calendar days from the file\'s referral to the CPS (its gatekeeper approval, submission-approved) to the decision', null, 'CPS decisions made in the period', 'days = hours ÷ 24; mean, one decimal place; null with none'),
  'more.cpsDecisionTime.median': d('median of the same days', null, 'CPS decisions made in the period', 'median, one decimal place; null with none'),
  'more.cpsDecisionTime.nonCustodyCount': d('CPS decisions made in the period on files not in category red', null, EVENTS, 'count'),
  'more.cpsDecisionTime.nonCustodyWithin28DaysPct': d('non-custody decisions made in the period no more than 28.0 days after referral', 'more.cpsDecisionTime.nonCustodyCount', 'non-custody CPS decisions in the period', 'percent, one decimal place; null with none'),

  'more.reportToReferral.count': d('cases first referred to the CPS in the period (their first Early Advice endorsement or file approval)', null, EVENTS, 'count of cases'),
  'more.reportToReferral.median': d('median calendar days from report to first referral to the CPS', null, 'cases first referred in the period', 'days = hours ÷ 24; median, one decimal place; null with none (police data: the CPS does not hold the report date)'),

  'more.referrals.earlyAdvice': d('Early Advice requests referred to the CPS in the period (endorsed: early-advice-endorsed)', null, EVENTS, 'count'),
  'more.referrals.charging': d('charging files referred to the CPS in the period (gatekeeper approval: submission-approved)', null, EVENTS, 'count'),
  'more.referrals.total': d('more.referrals.earlyAdvice + more.referrals.charging', null, EVENTS, 'count (compare with yearBefore for the Rape Review ambition; no 2016 baseline is held)'),
  'more.referrals.chargedSuspects': d('suspects of the cases charged in the period (the case\'s suspect count at each charge decision)', null, EVENTS, 'count of suspects (the CPS counts suspects, the Home Office offences)'),

  'more.actionPlans.openAtEnd': d('action plans with at least one open action at the period\'s end (open as in actionsOverdue)', null, `action plans of the cases in scope; ${AT_END}`, 'count'),
  'more.actionPlans.secondPlans': d('further action plans set in the period on a full code file of a case that already had one after a full code file', null, EVENTS, 'count'),
  'more.actionPlans.secondPlansDcpReviewedPct': d('second action plans (as above) recording a DCP review', 'more.actionPlans.secondPlans', 'second action plans set in the period', 'percent, one decimal place; null with none'),

  'more.bail.onBail': d('suspects on pre-charge bail at the period\'s end: their latest release (bail, extension, release under investigation or without charge) before the end was bail, its expiry is after the end, and the case was not charged, decided NFA, finalised or closed since', null, `suspects of the cases in scope; ${AT_END}`, 'count of suspects'),
  'more.bail.threeMonths': d('suspects on bail at the end within the first 3 months (no extension)', null, 'as more.bail.onBail', 'count'),
  'more.bail.sixMonths': d('suspects on bail at the end extended once (to 6 months, an Inspector)', null, 'as more.bail.onBail', 'count'),
  'more.bail.nineMonths': d('suspects on bail at the end extended twice (to 9 months, a Superintendent)', null, 'as more.bail.onBail', 'count'),
  'more.bail.court': d('suspects on bail at the end extended by a magistrates\' court', null, 'as more.bail.onBail', 'count'),
  'more.bail.expiringWithin30Days': d('suspects on bail at the end whose bail expires within 30 days after it', null, 'as more.bail.onBail', 'count'),
  'more.bail.extended': d('bail extensions recorded in the period (police or court)', null, EVENTS, 'count'),
  'more.bail.courtRefused': d('court refusals to extend bail recorded in the period', null, EVENTS, 'count'),
  'more.bail.rui': d('suspects released under investigation at the period\'s end (latest release before the end was RUI; the case not decided since)', null, `suspects of the cases in scope; ${AT_END}`, 'count'),
  'more.ruiAge': d('suspects under investigation at the end, by days since their release under investigation: 0-90, 91-180, 181-365, over-365 (upper bounds inclusive)', null, 'as more.bail.rui', 'days = hours ÷ 24; count per band'),

  'more.victimsCode.supportReferralCases': d('cases reported in the period', null, 'cases in scope', 'count (the cohort of the next figure)'),
  'more.victimsCode.supportReferralOnTimePct': d('cases reported in the period whose victim was referred to support services (a support-referral contact) within the policy\'s victim.supportReferral time of the report (2 working days by default, Victims\' Code Right 4)', 'more.victimsCode.supportReferralCases', 'cases reported in the period', 'working days skip weekends, England and Wales bank holidays and the regional policy\'s closures, keeping the time of day; percent, one decimal place; null with none'),
  'more.victimsCode.keyEvents': d('key events in the period: releases on bail, under investigation or without charge, and charges', null, EVENTS, 'count'),
  'more.victimsCode.keyEventUpdateOnTimePct': d('key events in the period followed by a key-event-update contact within the policy\'s victim.keyEventUpdate time (1 working day by default, Right 6)', 'more.victimsCode.keyEvents', 'key events in the period', 'as above; percent, one decimal place; null with none'),
  'more.victimsCode.nfaDecisions': d('NFA decisions in the period (police or CPS)', null, EVENTS, 'count'),
  'more.victimsCode.nfaNotificationOnTimePct': d('NFA decisions in the period followed by an nfa-notification contact within the policy\'s nfa.victimNotification time (1 working day by default, Right 6)', 'more.victimsCode.nfaDecisions', 'NFA decisions in the period', 'as above; percent, one decimal place; null with none'),

  'more.vrr.requested': d('victims\' Right to Review requests made in the period', null, EVENTS, 'count'),
  'more.vrr.policeScheme': d('requests in the period under the police scheme', null, EVENTS, 'count'),
  'more.vrr.cpsScheme': d('requests in the period under the CPS scheme', null, EVENTS, 'count'),
  'more.vrr.decided': d('reviews decided in the period', null, EVENTS, 'count'),
  'more.vrr.overturned': d('reviews decided in the period that overturned the decision', null, EVENTS, 'count'),
  'more.vrr.upheld': d('reviews decided in the period that upheld the decision', null, EVENTS, 'count'),
  'more.vrr.medianDaysToDecision': d('median calendar days from request to review decision', null, 'reviews decided in the period', 'days = hours ÷ 24; median, one decimal place; null with none'),

  'more.escalations.raised': d('escalations raised in the period: a clock\'s escalation step (one per clock, step and due time, however many people it reached), by its first inbox task', null, 'inbox tasks of kind escalation on the cases in scope', 'count'),
  'more.escalations.resolved': d('escalations whose every task was acknowledged or done, the last in the period', null, 'as more.escalations.raised', 'count'),
  'more.escalations.openAtEnd': d('escalations raised before the period\'s end and not resolved by it', null, 'as more.escalations.raised', 'count'),
  'more.escalationAge': d('escalations open at the end by days since raised: 0-7, 8-14, 15-28, over-28 (upper bounds inclusive)', null, 'as more.escalations.openAtEnd', 'count per band'),

  'more.victimWithdrawal.withdrawals': d('victim withdrawals of support recorded in the period', null, EVENTS, 'count'),
  'more.victimWithdrawal.outcome16Share': d('nfaByOutcome["16"] (victim does not support action)', 'all cases in nfaByOutcome', 'NFA outcomes in the period', 'percent, one decimal place; null with none'),
  'more.victimWithdrawal.outcome14Share': d('nfaByOutcome["14"] (victim declines or is unable to support action, suspect not identified)', 'all cases in nfaByOutcome', 'NFA outcomes in the period', 'percent, one decimal place; null with none'),
  'more.withdrawalStage': d('withdrawals recorded in the period, by the stage the case was at when the victim withdrew', null, EVENTS, 'count per stage'),

  'more.consultations.cases': d('cases given a CPS charge or NFA decision in the period (a case once)', null, EVENTS, 'count'),
  'more.consultations.perCase': d('referrals of each such case to the CPS (Early Advice endorsements and file approvals) before its decision', 'more.consultations.cases', 'cases given a CPS charge or NFA decision in the period', 'mean, one decimal place; null with none'),

  'more.scrutiny.panelsSat': d('NFA scrutiny panels sitting in the period for a unit in scope (or, for a force or area, a whole force in it)', null, 'panels', 'count'),
  'more.scrutiny.casesReviewed': d('sampled cases first reviewed by a panel member in the period', null, 'cases of panels in scope', 'count'),
  'more.scrutiny.learningActionsClosed': d('panels\' learning actions closed in the period', null, 'learning actions of panels in scope', 'count'),
  'more.scrutiny.learningActionsOpenAtEnd': d('learning actions created before the period\'s end and not closed by it', null, 'learning actions of panels in scope', 'count'),

  'more.breachForecast.police': d('running, unpaused clocks not yet due that fall due within the next 7 working days, whose owner is the police', null, 'clocks of the cases in scope as they stand when the report is generated (a forecast: given for the report\'s own period, null for the others)', 'owner: the CPS for Early Advice triage and advice, charging decisions (28 days or custody), the CPS review scheme, Threshold Test reviews, a clinic\'s outcome and a CPS-owned action; the police for every other clock; count'),
  'more.breachForecast.cps': d('as more.breachForecast.police, owned by the CPS', null, 'as more.breachForecast.police', 'count'),
};

/** The definitions as the Markdown table docs/report-definitions.md holds between its `figures` markers. */
export function definitionsTable(): string {
  const cell = (text: string | null) => (text ?? '–').replace(/\|/g, '\\|');
  const rows = Object.entries(FIGURE_DEFINITIONS).map(([path, def]) => `| \`${path}\` | ${cell(def.numerator)} | ${cell(def.denominator)} | ${cell(def.cohort)} | ${cell(def.basis)} |`);
  return ['| figure | numerator | denominator | cohort | basis |', '|---|---|---|---|---|', ...rows].join('\n');
}
