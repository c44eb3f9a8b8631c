import { recurrenceProblems } from '../workflows/clinics/recurrence';
import { ROLES } from '../workflows/contracts/people';
import type { ReportDeliveryRules } from '../workflows/contracts/reports';

const FIELDS = ['monthly', 'quarterly', 'catchUpDays', 'recipients'];
const RECIPIENT = /^(person:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|role:[a-z]+|(police|cps):[A-Za-z]+)$/;
const whole = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** What is wrong with the policy's report delivery rules (after layering over the defaults: every field present). */
export function reportRulesProblems(reports: Partial<ReportDeliveryRules>, timezone: string): string[] {
  if (!reports || typeof reports !== 'object' || Array.isArray(reports)) return ['reports must be an object'];
  const problems = Object.keys(reports).filter((k) => !FIELDS.includes(k)).map((k) => `reports.${k}: unknown field (reports has ${FIELDS.join(', ')})`);
  const meeting = reports.monthly?.meeting;
  if (!meeting || typeof meeting !== 'object') problems.push('reports.monthly.meeting must give firstMeetingAt and rrule');
  else {
    for (const p of recurrenceProblems({ firstSittingAt: meeting.firstMeetingAt, timezone, rrule: meeting.rrule })) {
      problems.push(`reports.monthly.meeting.${p.field === 'firstSittingAt' ? 'firstMeetingAt' : p.field} ${p.problem}`);
    }
  }
  if (!whole(reports.monthly?.workingDaysBefore, 0, 20)) problems.push('reports.monthly.workingDaysBefore must be a whole number from 0 to 20');
  if (!whole(reports.quarterly?.workingDaysAfter, 1, 40)) problems.push('reports.quarterly.workingDaysAfter must be a whole number from 1 to 40');
  if (!whole(reports.catchUpDays, 1, 60)) problems.push('reports.catchUpDays must be a whole number from 1 to 60');
  if (!Array.isArray(reports.recipients)) problems.push('reports.recipients must be a list');
  else reports.recipients.forEach((r, i) => {
    if (!RECIPIENT.test(r?.to ?? '') || (r.to.startsWith('role:') && !(ROLES as readonly string[]).includes(r.to.slice(5)))) {
      problems.push(`reports.recipients[${i}].to must be person:<id>, role:<${ROLES.join('|')}> or <police|cps>:<rank>`);
    }
    if (!['unit', 'force', 'area'].includes(r?.scope)) problems.push(`reports.recipients[${i}].scope must be unit, force or area`);
  });
  return problems;
}
