import { DateTime } from 'luxon';
import { addPolicyDuration, type Calendar, workingDayOnOrAfter, workingDaysBefore } from '../clocks/calendar';
import { sittingsFrom } from '../clinics/recurrence';
import type { ReportDelivery, ReportDeliveryRules } from '../contracts/reports';

/**
 * When each report goes (pure: the report workflow, the API and the tests compute the same dates).
 *
 * Monthly: the meeting follows its recurrence in the policy's zone, moved off non-working days like a clinic sitting;
 * its pack covers the calendar month before the meeting's month and goes `workingDaysBefore` working days before the
 * meeting. A meeting so early in its month that the day falls inside the month being reported holds the pack until
 * the first working day after that month ends (figures for a month are only complete once it has).
 *
 * Quarterly: the report covers the calendar quarter just ended and goes on its `workingDaysAfter`th working day after.
 */
export function monthlyDelivery(meetingAt: string, rules: ReportDeliveryRules, calendar: Calendar): ReportDelivery {
  const meeting = DateTime.fromISO(meetingAt, { zone: calendar.timezone });
  const period = meeting.startOf('month').minus({ months: 1 });
  const wanted = workingDaysBefore(meeting.toISODate() as string, rules.monthly.workingDaysBefore, calendar);
  const earliest = workingDayOnOrAfter(meeting.startOf('month').toISODate() as string, calendar);
  const held = wanted < earliest;
  return { kind: 'monthly', periodId: period.toFormat('yyyy-LL'), sendOn: held ? earliest : wanted, meetingAt, ...(held ? { heldUntilPeriodEnd: true } : {}) };
}

/** The quarter `2026-Q3`'s report: the `workingDaysAfter`th working day after its last day. */
export function quarterlyDelivery(quarterId: string, rules: ReportDeliveryRules, calendar: Calendar): ReportDelivery {
  const [year, q] = quarterId.split('-Q').map(Number);
  const lastDay = DateTime.fromObject({ year, month: q * 3, day: 1 }, { zone: calendar.timezone }).endOf('month').startOf('day');
  const sendOn = DateTime.fromISO(addPolicyDuration(lastDay.toISO() as string, `${rules.quarterly.workingDaysAfter}wd`, calendar), { zone: calendar.timezone });
  return { kind: 'quarterly', periodId: quarterId, sendOn: sendOn.toISODate() as string };
}

const quarterOf = (d: DateTime) => `${d.year}-Q${Math.ceil(d.month / 3)}`;

/**
 * The sendings due on `today` (local YYYY-MM-DD): each on its day, or later when a run was missed, a monthly pack
 * until its meeting and a quarterly report for `catchUpDays` after its day. Sending is idempotent per recipient, so a
 * second run on the same day sends nothing new.
 */
export function deliveriesDue(today: string, rules: ReportDeliveryRules, calendar: Calendar): ReportDelivery[] {
  const day = DateTime.fromISO(today, { zone: calendar.timezone });
  const meeting = { firstSittingAt: rules.monthly.meeting.firstMeetingAt, timezone: calendar.timezone, rrule: rules.monthly.meeting.rrule };
  // Meetings from a little over a month ago: the one a pack may still be due for, and the next two.
  const monthly = sittingsFrom(meeting, calendar, day.minus({ days: 40 }).toUTC().toISO() as string, 3)
    .map((s) => monthlyDelivery(s.sittingAt, rules, calendar))
    .filter((d) => d.sendOn <= today && today <= (DateTime.fromISO(d.meetingAt!, { zone: calendar.timezone }).toISODate() as string));
  const quarterly = [quarterOf(day.minus({ months: 3 })), quarterOf(day.minus({ months: 6 }))]
    .map((id) => quarterlyDelivery(id, rules, calendar))
    .filter((d) => d.sendOn <= today && today < (DateTime.fromISO(d.sendOn).plus({ days: rules.catchUpDays }).toISODate() as string));
  return [...monthly, ...quarterly];
}
