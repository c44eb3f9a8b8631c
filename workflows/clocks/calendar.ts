import { DateTime, Duration } from 'luxon';
import type { PolicySnapshot } from '../contracts/policy';

/**
 * Deterministic date arithmetic for deadlines: calendar durations (ISO-8601) in the policy's time zone, or
 * working days (`Nwd`) that skip weekends and the snapshot's non-working days. No I/O, so workflows may use it.
 */
const WORKING_DAYS = /^(\d+)wd$/;

export type Calendar = Pick<PolicySnapshot, 'timezone' | 'nonWorkingDays'>;

export function isWorkingDay(day: DateTime, calendar: Calendar): boolean {
  return day.weekday <= 5 && !calendar.nonWorkingDays.includes(day.toISODate() ?? '');
}

/** `start` plus `spec` (`P28D`, `-P3D`, `PT10S` or `2wd`), as an ISO UTC instant. */
export function addPolicyDuration(startIso: string, spec: string, calendar: Calendar): string {
  const start = DateTime.fromISO(startIso, { zone: calendar.timezone });
  if (!start.isValid) throw new TypeError(`invalid instant ${startIso}`);
  const wd = WORKING_DAYS.exec(spec);
  if (wd) return addWorkingDays(start, Number(wd[1]), calendar).toUTC().toISO() as string;
  const negative = spec.startsWith('-');
  const duration = Duration.fromISO(negative ? spec.slice(1) : spec);
  if (!duration.isValid) throw new TypeError(`invalid duration ${spec}`);
  return (negative ? start.minus(duration) : start.plus(duration)).toUTC().toISO() as string;
}

/** N working days later, at the same local time of day (a report on Friday 15:00 + 1wd is due Monday 15:00). */
function addWorkingDays(start: DateTime, days: number, calendar: Calendar): DateTime {
  let day = start;
  let remaining = days;
  while (remaining > 0) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(day, calendar)) remaining -= 1;
  }
  return day;
}
