import { DateTime, Duration } from 'luxon';
import type { PolicySnapshot } from '../contracts/policy';
import { DayOffsetZone, policyZone } from './zone';

const DAY_MS = 86_400_000;

/**
 * Deterministic date arithmetic for deadlines: calendar durations (ISO-8601) in the policy's time zone, or
 * working days (`Nwd`) that skip weekends and the snapshot's non-working days. No I/O, so workflows may use it.
 */
const WORKING_DAYS = /^(\d+)wd$/;

export type Calendar = Pick<PolicySnapshot, 'timezone' | 'nonWorkingDays'>;

export interface DueComputation {
  dueAt: string;
  /** How the due time was computed, in words a person can check. */
  explanation: string;
}

export function isWorkingDay(day: DateTime, calendar: Calendar): boolean {
  return day.weekday <= 5 && !calendar.nonWorkingDays.includes(day.toISODate() ?? '');
}

const show = (t: DateTime) => t.toFormat("ccc d LLL yyyy HH:mm");

/** `start` plus `spec` (`P28D`, `-P3D`, `PT10S` or `2wd`), with an explanation of the arithmetic. */
export function computeDue(startIso: string, spec: string, calendar: Calendar): DueComputation {
  const { start, due, skipped } = addSpec(startIso, spec, calendar);
  const dueAt = utcIso(due);
  if (!WORKING_DAYS.test(spec)) return { dueAt, explanation: `${spec} from ${show(start)}: ${show(due)} ${calendar.timezone}` };
  const skipping = skipped.length ? ` (skipping ${skipped.map((day) => day.toFormat('ccc d LLL')).join(', ')})` : '';
  return { dueAt, explanation: `${spec.replace('wd', '')} working day(s) from ${show(start)}${skipping}: ${show(due)} ${calendar.timezone}` };
}

/** `start` plus `spec`, as an instant. No explanation: ladder steps are recomputed often, and formatting is the costly part. */
export function addPolicyDuration(startIso: string, spec: string, calendar: Calendar): string {
  return utcIso(addSpec(startIso, spec, calendar).due);
}

/** An instant as luxon's UTC ISO text (`2025-01-31T09:00:00.000Z`), without its formatter for the years it writes alike. */
function utcIso(t: DateTime): string {
  const ms = t.toMillis();
  return ms >= 0 && ms < YEAR_10000 ? new Date(ms).toISOString() : (t.toUTC().toISO() as string);
}

/** 10000-01-01T00:00:00Z: before it, `Date#toISOString` writes what luxon writes. */
const YEAR_10000 = 253_402_300_800_000;
/**
 * An ISO instant with its offset given (`Z` or `±hh:mm`) and fields no calendar can refuse (days 1–28, hours 0–23),
 * which `Date.parse` reads exactly as luxon does; anything else (30 February, 24:00) is left to luxon to judge.
 */
const PLAIN_INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{3})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** An instant in the zone: read as milliseconds when that is certain to be luxon's answer (its ISO parser is the costly part). */
function instantIn(iso: string, zone: ReturnType<typeof policyZone>): DateTime {
  return PLAIN_INSTANT.test(iso) ? DateTime.fromMillis(Date.parse(iso), { zone }) : DateTime.fromISO(iso, { zone });
}

/** The arithmetic behind both: the start in the policy's zone, the due time, and the non-working days skipped. */
function addSpec(startIso: string, spec: string, calendar: Calendar): { start: DateTime; due: DateTime; skipped: DateTime[] } {
  const start = instantIn(startIso, policyZone(calendar.timezone));
  if (!start.isValid) throw new TypeError(`invalid instant ${startIso}`);
  const wd = WORKING_DAYS.exec(spec);
  if (wd) {
    const steady = workingDaysAtSteadyOffset(start, Number(wd[1]), calendar);
    if (steady) return steady;
    const skipped: DateTime[] = [];
    let day = start;
    for (let remaining = Number(wd[1]); remaining > 0;) {
      day = day.plus({ days: 1 });
      if (isWorkingDay(day, calendar)) remaining -= 1;
      else skipped.push(day);
    }
    return { start, due: day, skipped };
  }
  const negative = spec.startsWith('-');
  const duration = Duration.fromISO(negative ? spec.slice(1) : spec);
  if (!duration.isValid) throw new TypeError(`invalid duration ${spec}`);
  return { start, due: negative ? start.minus(duration) : start.plus(duration), skipped: [] };
}

/**
 * `n` working days after `start` counted on plain dates, when the zone keeps one offset from the start to the due day
 * (most of the year): then a calendar day is exactly 24 hours and the answer is the day-by-day walk's, without luxon's
 * cost per day. Undefined across a clock change, where the walk (which carries a time the change skips) decides.
 */
function workingDaysAtSteadyOffset(start: DateTime, n: number, calendar: Calendar): { start: DateTime; due: DateTime; skipped: DateTime[] } | undefined {
  const zone = start.zone;
  if (!(zone instanceof DayOffsetZone)) return undefined;
  const at = start.toMillis();
  const wall = at + start.offset * 60_000;
  const skippedDays: number[] = [];
  let days = 0;
  for (let remaining = n; remaining > 0;) {
    days += 1;
    const date = new Date(wall + days * DAY_MS);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !calendar.nonWorkingDays.includes(date.toISOString().slice(0, 10))) remaining -= 1;
    else skippedDays.push(days);
  }
  if (zone.offsetThroughout(at, at + days * DAY_MS) !== start.offset) return undefined;
  return {
    start,
    due: DateTime.fromMillis(at + days * DAY_MS, { zone }),
    skipped: skippedDays.map((d) => DateTime.fromMillis(at + d * DAY_MS, { zone })),
  };
}

/** The working day `n` working days before `day` (YYYY-MM-DD), counted in the calendar's zone. */
export function workingDaysBefore(day: string, n: number, calendar: Calendar): string {
  let at = DateTime.fromISO(day, { zone: calendar.timezone });
  for (let remaining = n; remaining > 0;) {
    at = at.minus({ days: 1 });
    if (isWorkingDay(at, calendar)) remaining -= 1;
  }
  return at.toISODate() as string;
}

/** The first working day on or after `day` (YYYY-MM-DD). */
export function workingDayOnOrAfter(day: string, calendar: Calendar): string {
  let at = DateTime.fromISO(day, { zone: calendar.timezone });
  while (!isWorkingDay(at, calendar)) at = at.plus({ days: 1 });
  return at.toISODate() as string;
}
