import { DateTime } from 'luxon';
import type { ReportKind, ReportPeriod } from './report';

/**
 * The calendar periods the monthly pack and the quarterly report cover: months and quarters in Europe/London, each from
 * 00:00 London time on its first day (inclusive) to 00:00 London time on the first day of the next (exclusive), as UTC
 * instants. A month holding a clock change is an hour shorter (March) or longer (October) than its days: October 2025
 * runs from 2025-09-30T23:00Z (BST) to 2025-11-01T00:00Z (GMT).
 */
export const REPORT_ZONE = 'Europe/London' as const;

/** `2026-10`: a year from 1970 to 2999 and a month 01–12. */
export const MONTH_PATTERN = /^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$/;
/** `2026-Q3`: a year from 1970 to 2999 and a quarter 1–4. */
export const QUARTER_PATTERN = /^(19[7-9]\d|2\d{3})-Q([1-4])$/;

/** How many periods the trend covers, ending with the report's own: 13 months, or 13 quarters. */
export const TREND_LENGTH = 13;

const MONTHS_IN: Record<ReportKind, number> = { monthly: 1, quarterly: 3 };

/** The period of `kind` that starts with the London month `year`-`month` (a quarter's first month: 1, 4, 7, 10). */
function periodFrom(kind: ReportKind, start: DateTime): ReportPeriod {
  const end = start.plus({ months: MONTHS_IN[kind] });
  const id = kind === 'monthly' ? start.toFormat('yyyy-LL') : `${start.year}-Q${Math.floor((start.month - 1) / 3) + 1}`;
  return { kind, id, from: start.toUTC().toISO()!, to: end.toUTC().toISO()!, timeZone: REPORT_ZONE };
}

const london = (year: number, month: number) => DateTime.fromObject({ year, month, day: 1 }, { zone: REPORT_ZONE });

/** `YYYY-MM` as a monthly period; a RangeError for anything else. */
export function parseMonth(id: string): ReportPeriod {
  const m = MONTH_PATTERN.exec(id);
  if (!m) throw new RangeError(`${JSON.stringify(id)} is not a month (YYYY-MM)`);
  return periodFrom('monthly', london(Number(m[1]), Number(m[2])));
}

/** `YYYY-Qn` as a quarterly period; a RangeError for anything else. */
export function parseQuarter(id: string): ReportPeriod {
  const m = QUARTER_PATTERN.exec(id);
  if (!m) throw new RangeError(`${JSON.stringify(id)} is not a quarter (YYYY-Qn)`);
  return periodFrom('quarterly', london(Number(m[1]), (Number(m[2]) - 1) * 3 + 1));
}

/** Whether `id` names a month (`2026-10`) or a quarter (`2026-Q3`); null for neither. */
export function periodKindOf(id: string): ReportKind | null {
  return MONTH_PATTERN.test(id) ? 'monthly' : QUARTER_PATTERN.test(id) ? 'quarterly' : null;
}

export function parsePeriod(kind: ReportKind, id: string): ReportPeriod {
  return kind === 'monthly' ? parseMonth(id) : parseQuarter(id);
}

/** The period `n` periods after `period` (before it when `n` is negative). */
export function shiftPeriod(period: ReportPeriod, n: number): ReportPeriod {
  const start = DateTime.fromISO(period.from, { zone: REPORT_ZONE });
  return periodFrom(period.kind, start.plus({ months: n * MONTHS_IN[period.kind] }));
}

export const previousPeriod = (period: ReportPeriod) => shiftPeriod(period, -1);

/** The same period a year before: twelve months, or four quarters, earlier. */
export const yearBeforePeriod = (period: ReportPeriod) => shiftPeriod(period, period.kind === 'monthly' ? -12 : -4);

/** The `count` periods ending with `period`, oldest first (the previous period and the year before among them). */
export function trendPeriods(period: ReportPeriod, count = TREND_LENGTH): ReportPeriod[] {
  return Array.from({ length: count }, (_, i) => shiftPeriod(period, i - count + 1));
}

/** The period of `kind` holding the instant `at` (London time). */
export function periodContaining(kind: ReportKind, at: Date): ReportPeriod {
  const local = DateTime.fromJSDate(at, { zone: REPORT_ZONE });
  const month = kind === 'monthly' ? local.month : Math.floor((local.month - 1) / 3) * 3 + 1;
  return periodFrom(kind, london(local.year, month));
}

/** The latest period of `kind` that has ended by `at`: what a pack sent on `at` reports. */
export function lastCompletePeriod(kind: ReportKind, at: Date): ReportPeriod {
  return previousPeriod(periodContaining(kind, at));
}
