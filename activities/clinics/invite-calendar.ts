import ical, { ICalAttendeeRole, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';

export interface InvitePerson { name: string; email: string }

export interface ClinicInvite {
  clinicId: string;
  method: 'REQUEST' | 'CANCEL';
  /** Raised whenever the sitting moves or is cancelled, so calendars replace what they hold. */
  sequence: number;
  sittingAt: Date;
  durationMinutes: number;
  timezone: string;
  summary: string;
  description: string;
  location: string | null;
  url: string;
  organiser: InvitePerson;
  attendees: InvitePerson[];
}

/** The one UID a sitting's invites carry, whatever moves or cancellations follow. */
export const clinicInviteUid = (clinicId: string) => `clinic-${clinicId}@precharge`;

const ICAL_LOCAL = "yyyyLLdd'T'HHmmss";

/** The `BYDAY` of a transition: the nth (or last) weekday of its month. */
function byDay(t: DateTime): string {
  const day = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'][t.weekday - 1];
  const last = t.plus({ weeks: 1 }).month !== t.month;
  return `${last ? -1 : Math.ceil(t.day / 7)}${day}`;
}

const offset = (minutes: number) => `${minutes < 0 ? '-' : '+'}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}${String(Math.abs(minutes) % 60).padStart(2, '0')}`;

/**
 * The VTIMEZONE of a zone as its rules stand in `year`: each offset change found by scanning the year hour by hour
 * (luxon's zone data), written as a yearly rule (`BYMONTH`, `BYDAY`), so a calendar places the sitting at its local
 * time on either side of a clock change. A zone without changes gets its one STANDARD offset.
 */
export function vtimezone(zone: string, year: number): string {
  const transitions: { at: DateTime; from: number; to: number }[] = [];
  let previous = DateTime.fromObject({ year, month: 1, day: 1 }, { zone });
  for (let t = previous.plus({ hours: 1 }); t.year === year; t = t.plus({ hours: 1 })) {
    if (t.offset !== previous.offset) transitions.push({ at: t, from: previous.offset, to: t.offset });
    previous = t;
  }
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  if (!transitions.length) {
    const o = offset(previous.offset);
    lines.push('BEGIN:STANDARD', `DTSTART:${year}0101T000000`, `TZOFFSETFROM:${o}`, `TZOFFSETTO:${o}`, `TZNAME:${previous.offsetNameShort ?? zone}`, 'END:STANDARD');
  }
  for (const { at, from, to } of transitions) {
    const kind = to > from ? 'DAYLIGHT' : 'STANDARD';
    // The local wall-clock time at which the change happens, read in the offset before it.
    const local = at.setZone(`UTC${offset(from).replace(/(\d\d)(\d\d)$/, '$1:$2')}`);
    lines.push(
      `BEGIN:${kind}`, `DTSTART:${local.toFormat(ICAL_LOCAL)}`, `RRULE:FREQ=YEARLY;BYMONTH=${at.month};BYDAY=${byDay(local)}`,
      `TZOFFSETFROM:${offset(from)}`, `TZOFFSETTO:${offset(to)}`, `TZNAME:${at.offsetNameShort ?? zone}`, `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

/**
 * A sitting's invite (METHOD:REQUEST) or cancellation (METHOD:CANCEL) as iCalendar text, from a maintained library:
 * organiser, every attendee, a stable UID per sitting and its SEQUENCE, the time in the sitting's zone with its
 * VTIMEZONE. No personal data: the summary and description name the unit and the number of cases, with a link.
 */
export function clinicInviteIcs(invite: ClinicInvite): string {
  const start = DateTime.fromJSDate(invite.sittingAt).setZone(invite.timezone);
  const calendar = ical({
    prodId: { company: 'precharge', product: 'case-progression-clinics', language: 'EN' },
    method: invite.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: { name: invite.timezone, generator: (zone) => vtimezone(zone, start.year) },
  });
  calendar.createEvent({
    id: clinicInviteUid(invite.clinicId),
    sequence: invite.sequence,
    start,
    end: start.plus({ minutes: invite.durationMinutes }),
    timezone: invite.timezone,
    stamp: DateTime.utc(),
    summary: invite.summary,
    description: invite.description,
    location: invite.location ?? undefined,
    url: invite.url,
    status: invite.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: invite.organiser.name, email: invite.organiser.email },
    attendees: invite.attendees.map((a) => ({ name: a.name, email: a.email, role: ICalAttendeeRole.REQ, rsvp: invite.method === 'REQUEST' })),
  });
  return calendar.toString();
}
