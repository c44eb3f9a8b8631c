import ical from 'node-ical';
import { DateTime } from 'luxon';
import { clinicInviteIcs, clinicInviteUid } from '../../activities/clinics/invite-calendar';

const invite = (over: Partial<Parameters<typeof clinicInviteIcs>[0]> = {}) => clinicInviteIcs({
  clinicId: '6f1c1e52-8e0e-4a43-9c0b-3f6a8d2b1a10', method: 'REQUEST', sequence: 0, sittingAt: new Date('2027-04-06T09:00:00Z'), durationMinutes: 90,
  timezone: 'Europe/London', summary: 'Case progression clinic (unit-x)', description: '3 cases. https://example.test/clinics/x', location: 'Room 2',
  url: 'https://example.test/clinics/x', organiser: { name: 'DI Organiser', email: 'di@example.test' },
  attendees: [{ name: 'Liaison', email: 'liaison@example.test' }, { name: 'DC Officer', email: 'dc@example.test' }], ...over,
});

/** The invite a sitting sends, read back by a maintained iCalendar parser. */
describe('a clinic invite', () => {
  it('is a valid event at the right local time, with its zone, organiser, attendees and a stable UID', () => {
    const text = invite();
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('METHOD:REQUEST');
    expect(text).toMatch(/BEGIN:VTIMEZONE\r\nTZID:Europe\/London[\s\S]*BEGIN:DAYLIGHT[\s\S]*TZOFFSETTO:\+0100[\s\S]*BEGIN:STANDARD[\s\S]*TZOFFSETTO:\+0000/);
    expect(text).toContain('DTSTART;TZID=Europe/London:20270406T100000');
    const events = Object.values(ical.sync.parseICS(text)).filter((c) => c.type === 'VEVENT') as ical.VEvent[];
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event.uid).toBe(clinicInviteUid('6f1c1e52-8e0e-4a43-9c0b-3f6a8d2b1a10'));
    expect(event.start.toISOString()).toBe('2027-04-06T09:00:00.000Z');
    expect(DateTime.fromJSDate(event.start).setZone('Europe/London').toFormat('HH:mm')).toBe('10:00');
    expect(event.end.toISOString()).toBe('2027-04-06T10:30:00.000Z');
    expect(String(event.sequence)).toBe('0');
    expect(JSON.stringify(event.organizer).toLowerCase()).toContain('mailto:di@example.test');
    const attendees = ([] as unknown[]).concat(event.attendee).map((a) => JSON.stringify(a).toLowerCase());
    expect(attendees).toEqual([expect.stringContaining('mailto:liaison@example.test'), expect.stringContaining('mailto:dc@example.test')]);
  });

  it('in winter is at the same local time, and a move or cancellation keeps the UID and raises the SEQUENCE', () => {
    const winter = Object.values(ical.sync.parseICS(invite({ sittingAt: new Date('2026-12-01T10:00:00Z'), sequence: 1 }))).find((c) => c.type === 'VEVENT') as ical.VEvent;
    expect(DateTime.fromJSDate(winter.start).setZone('Europe/London').toFormat('HH:mm')).toBe('10:00');
    expect(String(winter.sequence)).toBe('1');
    const cancel = invite({ method: 'CANCEL', sequence: 2 });
    expect(cancel).toContain('METHOD:CANCEL');
    expect(cancel).toContain('STATUS:CANCELLED');
    const cancelled = Object.values(ical.sync.parseICS(cancel)).find((c) => c.type === 'VEVENT') as ical.VEvent;
    expect({ uid: cancelled.uid, sequence: String(cancelled.sequence) }).toEqual({ uid: clinicInviteUid('6f1c1e52-8e0e-4a43-9c0b-3f6a8d2b1a10'), sequence: '2' });
  });
});
