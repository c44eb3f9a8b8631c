import { DateTime, IANAZone } from 'luxon';
import { englandAndWalesBankHolidays } from '../../policy/load-policy';
import { addPolicyDuration, type Calendar, isWorkingDay } from '../../workflows/clocks/calendar';
import type { Draw } from './draw';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * Europe/London with each day's UTC offset remembered: luxon asks Intl for the offset of every instant otherwise,
 * which was most of the generator's time. A day whose offset is the same at its start and its end has that offset
 * throughout (London changes at most twice a year); on the two days it changes, each instant is asked as before.
 */
class RememberingZone extends IANAZone {
  private readonly offsets = new Map<number, number>();

  override offset(ts: number): number {
    const day = Math.floor(ts / DAY);
    let offset = this.offsets.get(day);
    if (offset === undefined) {
      const start = super.offset(day * DAY);
      offset = start === super.offset((day + 1) * DAY - 1) ? start : NaN;
      this.offsets.set(day, offset);
    }
    return Number.isNaN(offset) ? super.offset(ts) : offset;
  }
}
const ZONE = new RememberingZone('Europe/London');

/** An instant as the import format writes it: UTC to the second (`2026-06-01T10:00:00Z`). */
export const instant = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * When things happen in a synthetic case: mostly in working hours on working days, now and then at any hour of any
 * day, as in a force. Deadlines are worked out as the rules work them (the clocks' calendar, with England and Wales
 * bank holidays of every year the file spans), so a victim told "within one working day" of a Friday evening is told
 * on the Monday, or the Tuesday after a bank holiday.
 */
export class WorkingTime {
  readonly calendar: Calendar;

  constructor(private readonly draw: Draw, fromYear: number, toYear: number) {
    // The rules' own arithmetic over the remembering zone: luxon takes a Zone wherever it takes a zone's name.
    this.calendar = { timezone: ZONE as unknown as string, nonWorkingDays: englandAndWalesBankHolidays(fromYear, toYear) };
  }

  isWorkingDay(ms: number): boolean {
    return isWorkingDay(DateTime.fromMillis(ms, { zone: ZONE }), this.calendar);
  }

  /** The London date of an instant (YYYY-MM-DD). */
  date(ms: number): string {
    return DateTime.fromMillis(ms, { zone: ZONE }).toISODate()!;
  }

  /** The instant at `hour` (fractional: 9.5 is 09:30) of the London day of `ms`. */
  atHour(ms: number, hour: number): number {
    return DateTime.fromMillis(ms, { zone: ZONE }).set({ hour: Math.floor(hour), minute: Math.floor((hour % 1) * 60), second: 0, millisecond: 0 }).toMillis();
  }

  /** The first working day on or after the day of `ms`, at the same time of day. */
  workingDayFrom(ms: number): number {
    let day = DateTime.fromMillis(ms, { zone: ZONE });
    while (!isWorkingDay(day, this.calendar)) day = day.plus({ days: 1 });
    return day.toMillis();
  }

  /** A time of day: working hours mostly, else early morning to late evening. */
  private hour(workingHours = 0.9): number {
    return this.draw.chance(workingHours) ? this.draw.between(8, 18) : this.draw.between(7, 22);
  }

  /**
   * Between `minDays` and `maxDays` after `from`: on a working day in working hours mostly, on any day now and then;
   * always after `from` (later the same day when the day drawn is `from`'s own and its hour has passed).
   */
  after(from: number, minDays: number, maxDays: number): number {
    let day = from + this.draw.between(minDays, maxDays) * DAY;
    if (this.draw.chance(0.93)) day = this.workingDayFrom(day);
    const at = this.atHour(day, this.hour());
    return at > from ? at : from + this.draw.int(5, 120) * MINUTE;
  }

  /** A time after `from` and before `to`: in working hours of a working day when a draw lands on one in time. */
  between(from: number, to: number): number {
    for (let tries = 0; tries < 3; tries += 1) {
      const at = this.after(from, 0, (to - from) / DAY);
      if (at < to) return at;
    }
    return from + Math.max(1, Math.floor((this.draw.between(0.1, 0.9) * (to - from)) / MINUTE)) * MINUTE;
  }

  /** Within the rules' deadline `spec` from `from` (`1wd`, `P28D`) with probability `onTime`, else up to 5 days after it. */
  within(from: number, spec: string, onTime: number): number {
    const due = Date.parse(addPolicyDuration(new Date(from).toISOString(), spec, this.calendar));
    return this.draw.chance(onTime) ? this.between(from, due) : this.after(due, 0.2, 5);
  }

  /** `spec` (an ISO duration, or working days) after `from`, as the clocks count it. */
  plus(from: number, spec: string): number {
    return Date.parse(addPolicyDuration(new Date(from).toISOString(), spec, this.calendar));
  }

  /** A date agreed for work to be done: 17:00 on a working day between `minDays` and `maxDays` after `from`. */
  agreedDate(from: number, minDays: number, maxDays: number): number {
    return this.atHour(this.workingDayFrom(from + this.draw.between(minDays, maxDays) * DAY), 17);
  }

  /** When a victim reports: a day drawn around `ms`, a working day mostly, at any hour but mostly the working day's. */
  reportTime(ms: number): number {
    const day = this.draw.chance(0.75) ? this.workingDayFrom(ms) : ms;
    return this.atHour(day, this.draw.chance(0.8) ? this.draw.between(8, 19) : this.draw.between(0, 24));
  }
}
