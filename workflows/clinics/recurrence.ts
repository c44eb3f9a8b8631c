import { DateTime } from 'luxon';
import { Frequency, RRule } from 'rrule';
import { type Calendar, isWorkingDay } from '../clocks/calendar';

/**
 * When a clinic schedule sits: an RFC 5545 recurrence (`FREQ=WEEKLY;INTERVAL=2`) from a first sitting given as a local
 * wall-clock time in the schedule's zone. Pure (no I/O, no clock), so the API and the schedule workflow compute the
 * same sittings.
 *
 * The rule is expanded in "floating" time (the local wall clock, carried in a UTC Date), then each occurrence is placed
 * in the zone: a fortnightly 10:00 stays 10:00 UK time across both clock changes, where expanding in UTC would drift
 * by an hour. A sitting on a non-working day (a weekend or one of the policy snapshot's bank holidays and closures)
 * moves to the next working day at the same local time.
 */
export interface Recurrence {
  /** Local wall-clock time of the first sitting, `YYYY-MM-DDTHH:mm`. */
  firstSittingAt: string;
  timezone: string;
  /** RRULE parts only (no DTSTART, no TZID): `FREQ=WEEKLY;INTERVAL=2`. */
  rrule: string;
}

/** One sitting: its instant (UTC) and, if it moved off a non-working day, the day the rule gave. */
export interface Sitting {
  sittingAt: string;
  /** The rule's own occurrence (UTC): the sitting's identity within its schedule, stable when it moves. */
  occurrence: string;
  movedFrom?: string;
}

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const ALLOWED_FREQ = new Set([Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY]);
/** How far a rule is expanded at most: a daily rule for over a decade, and never past 20 years from the search's start. */
const MAX_OCCURRENCES = 5_000;
const HORIZON_MS = 20 * 366 * 86_400_000;

/** What is wrong with a recurrence, by field (empty: nothing). */
export function recurrenceProblems(r: Recurrence): { field: keyof Recurrence; problem: string }[] {
  const problems: { field: keyof Recurrence; problem: string }[] = [];
  const zoneOk = typeof r.timezone === 'string' && DateTime.local().setZone(r.timezone).isValid;
  if (!zoneOk) problems.push({ field: 'timezone', problem: 'is not an IANA time zone' });
  if (!LOCAL.test(r.firstSittingAt ?? '') || !DateTime.fromISO(r.firstSittingAt, { zone: 'UTC' }).isValid) {
    problems.push({ field: 'firstSittingAt', problem: 'must be a local date and time, YYYY-MM-DDTHH:mm' });
  } else if (!/^20\d\d-/.test(r.firstSittingAt)) {
    problems.push({ field: 'firstSittingAt', problem: 'must be in the years 2000 to 2099' });
  } else if (zoneOk) {
    const local = DateTime.fromISO(r.firstSittingAt, { zone: r.timezone });
    // A wall-clock time skipped by a clock change (01:30 on the last Sunday of March) does not exist there.
    if (local.toFormat("yyyy-LL-dd'T'HH:mm") !== r.firstSittingAt) problems.push({ field: 'firstSittingAt', problem: `does not exist in ${r.timezone} (a clock change skips it)` });
  }
  const rule = parseRule(r.rrule);
  if (typeof rule === 'string') problems.push({ field: 'rrule', problem: rule });
  return problems;
}

function parseRule(text: string): ReturnType<typeof RRule.parseString> | string {
  if (typeof text !== 'string' || !/^[A-Z0-9=;,+-]{6,500}$/i.test(text)) return 'must be RRULE parts, e.g. FREQ=WEEKLY;INTERVAL=2';
  if (/(^|;)\s*(DTSTART|TZID|RRULE:)/i.test(text)) return 'must not carry DTSTART or TZID: they come from firstSittingAt and timezone';
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(text);
  } catch (err) {
    return `is not a valid recurrence rule (${(err as Error).message})`;
  }
  if (options.freq === undefined || !ALLOWED_FREQ.has(options.freq)) return 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY';
  if (options.interval !== undefined && (options.interval < 1 || options.interval > 52)) return 'INTERVAL must be between 1 and 52';
  if ((options.byhour ?? options.byminute ?? options.bysecond) !== undefined) return 'the time of day comes from firstSittingAt (no BYHOUR, BYMINUTE or BYSECOND)';
  return options;
}

/** The wall-clock fields of a local time, carried in a UTC Date (rrule's "floating" time). */
const floating = (local: DateTime) => new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute));
const fromFloating = (d: Date, zone: string) => DateTime.fromObject(
  { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() }, { zone },
);

function ruleOf(r: Recurrence): RRule {
  const options = parseRule(r.rrule);
  if (typeof options === 'string') throw new TypeError(`rrule ${options}`);
  const first = DateTime.fromISO(r.firstSittingAt, { zone: r.timezone });
  return new RRule({ ...options, dtstart: floating(first), tzid: null });
}

/** Moves a local time off a non-working day to the next working day, same time of day. */
function toWorkingDay(local: DateTime, calendar: Calendar): DateTime {
  let day = local.setZone(calendar.timezone);
  for (let i = 0; i < 31 && !isWorkingDay(day, calendar); i += 1) day = day.plus({ days: 1 });
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: local.hour, minute: local.minute }, { zone: local.zoneName ?? 'UTC' });
}

/**
 * The sittings at or after `from` (UTC instant), at most `count`, in order. Non-working days are the calendar's: the
 * policy snapshot's bank holidays and closures, counted in the policy's zone.
 */
export function sittingsFrom(r: Recurrence, calendar: Pick<Calendar, 'nonWorkingDays'>, from: string | Date, count: number): Sitting[] {
  const rule = ruleOf(r);
  const cal: Calendar = { timezone: r.timezone, nonWorkingDays: calendar.nonWorkingDays };
  const after = typeof from === 'string' ? Date.parse(from) : from.getTime();
  const found: Sitting[] = [];
  // A move never crosses more than a few days: start the search a month early so a moved sitting is not missed.
  const start = floating(DateTime.fromMillis(after - 31 * 86_400_000, { zone: r.timezone }));
  rule.between(start, new Date(start.getTime() + HORIZON_MS), true, (date, i) => {
    if (i >= MAX_OCCURRENCES || found.length >= count) return false;
    const local = fromFloating(date, r.timezone);
    // A rule time that a spring clock change skips falls forward by the gap (luxon's rule): 01:30 becomes 02:30.
    const placed = toWorkingDay(local, cal);
    const occurrence = local.toUTC().toISO() as string;
    const sittingAt = placed.toUTC().toISO() as string;
    if (Date.parse(sittingAt) >= after && !found.some((f) => f.sittingAt === sittingAt)) found.push(sittingAt === occurrence ? { sittingAt, occurrence } : { sittingAt, occurrence, movedFrom: occurrence });
    return true;
  });
  return found.sort((a, b) => Date.parse(a.sittingAt) - Date.parse(b.sittingAt)).slice(0, count);
}
