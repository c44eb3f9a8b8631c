import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import ical from 'node-ical';
import { createTeam, NEIGHBOUR_FORCE, type Team } from '../support/fixtures';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';

const londonTime = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/London' }).toFormat('HH:mm');
const fields = (res: { body: { details?: { field: string }[] } }) => res.body.details?.map((d) => d.field);

/** Clinic schedules and sittings over HTTP: recurrence in a time zone, bank holidays, pausing, ad-hoc sittings, access. */
describe('clinic schedules and sittings', () => {
  let system: RunningSystem;
  let team: Team;
  let neighbour: Team;
  const as = (who: { token: string }, method: string, path: string, body?: unknown) => api(system.baseUrl, method, path, { token: who.token, body });
  const fortnightly = () => ({ unit: team.unit, firstSittingAt: '2026-12-01T10:00', timezone: 'Europe/London', rrule: 'FREQ=WEEKLY;INTERVAL=2', durationMinutes: 90, agendaLeadTime: 'P2D' });

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl);
    neighbour = await createTeam(system.baseUrl, undefined, { force: NEIGHBOUR_FORCE });
  });
  afterAll(() => system?.stop());

  it('schedules a unit\'s clinic and answers its next six sittings in UTC, each at the local time, with the serving team\'s liaison by default', async () => {
    const created = await as(team.di, 'POST', '/clinic-schedules', { ...fortnightly(), rrule: 'FREQ=MONTHLY', firstSittingAt: '2027-01-05T10:00' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ unit: team.unit, forceId: team.forceId, status: 'active', liaisonId: team.prosecutor.id, durationMinutes: 90, agendaLeadTime: 'P2D' });
    // Monthly from January: across the March clock change, every sitting is still 10:00 in London.
    expect(created.body.nextSittings).toHaveLength(6);
    expect(created.body.nextSittings.map(londonTime)).toEqual(Array(6).fill('10:00'));
    expect(created.body.nextSittings).toEqual([
      '2027-01-05T10:00:00.000Z', '2027-02-05T10:00:00.000Z', '2027-03-05T10:00:00.000Z', '2027-04-05T09:00:00.000Z', '2027-05-05T09:00:00.000Z', '2027-06-07T09:00:00.000Z',
    ]);
    // 5 June 2027 is a Saturday: that sitting moves to the Monday.
    expect(created.body.moved).toEqual([{ sittingAt: '2027-06-07T09:00:00.000Z', movedFrom: '2027-06-05T09:00:00.000Z' }]);

    const listed = await as(team.officer, 'GET', `/clinic-schedules?unit=${team.unit}`);
    expect(listed.status).toBe(200);
    expect(listed.body.map((s: { id: string }) => s.id)).toContain(created.body.id);
    expect((await as(team.prosecutor, 'GET', '/clinic-schedules')).body.map((s: { id: string }) => s.id)).toContain(created.body.id);
    expect((await as(neighbour.di, 'GET', '/clinic-schedules')).body.map((s: { id: string }) => s.id)).not.toContain(created.body.id);
  });

  it('moves a sitting off a bank holiday to the next working day', async () => {
    const mondays = await as(team.di, 'POST', '/clinic-schedules', { ...fortnightly(), firstSittingAt: '2026-12-14T10:00', rrule: 'FREQ=WEEKLY' });
    expect(mondays.status).toBe(201);
    expect(mondays.body.nextSittings.slice(0, 3)).toEqual(['2026-12-14T10:00:00.000Z', '2026-12-21T10:00:00.000Z', '2026-12-29T10:00:00.000Z']);
  });

  it('pauses, resumes and changes a schedule, refusing what it cannot compute', async () => {
    const { body: schedule } = await as(team.di, 'POST', '/clinic-schedules', fortnightly());
    const paused = await as(team.di, 'PATCH', `/clinic-schedules/${schedule.id}`, { status: 'paused' });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused', nextSittings: [], revision: 1 });
    const weekly = await as(team.di, 'PATCH', `/clinic-schedules/${schedule.id}`, { status: 'active', rrule: 'FREQ=WEEKLY', liaisonId: team.dcp.id });
    expect(weekly.body).toMatchObject({ status: 'active', rrule: 'FREQ=WEEKLY', liaisonId: team.dcp.id, revision: 2 });
    expect(weekly.body.nextSittings).toHaveLength(6);

    const bad = await as(team.di, 'PATCH', `/clinic-schedules/${schedule.id}`, { rrule: 'FREQ=SECONDLY', timezone: 'Mars/Olympus' });
    expect({ status: bad.status, fields: fields(bad) }).toEqual({ status: 422, fields: ['timezone', 'rrule'] });
    const outsider = await as(team.di, 'PATCH', `/clinic-schedules/${schedule.id}`, { liaisonId: neighbour.prosecutor.id });
    expect({ status: outsider.status, details: outsider.body.details }).toEqual({ status: 422, details: [{ field: 'liaisonId', problem: 'is not CPS staff of a team serving the unit' }] });
    const malformed = await as(team.di, 'POST', '/clinic-schedules', { ...fortnightly(), firstSittingAt: 'next Tuesday', durationMinutes: 0, agendaLeadTime: 'two days' });
    expect({ status: malformed.status, fields: fields(malformed) }).toEqual({ status: 400, fields: expect.arrayContaining(['firstSittingAt', 'durationMinutes', 'agendaLeadTime']) });
  });

  it('lets only a supervisor of the unit convene clinics: another unit\'s force is hidden', async () => {
    expect((await as(team.officer, 'POST', '/clinic-schedules', fortnightly())).status).toBe(403);
    expect((await as(team.prosecutor, 'POST', '/clinics', { unit: team.unit, sittingAt: '2027-01-07T14:00:00Z' })).status).toBe(403);
    const otherForce = await as(neighbour.di, 'POST', '/clinic-schedules', fortnightly());
    expect({ status: otherForce.status, message: otherForce.body.message }).toEqual({ status: 404, message: 'That unit was not found.' });
  });

  it('convenes an ad-hoc sitting with its attendees, listed by unit and time, and hidden from another force', async () => {
    const convened = await as(team.di, 'POST', '/clinics', { unit: team.unit, sittingAt: '2027-01-07T14:00:00Z', durationMinutes: 45 });
    expect(convened.status).toBe(201);
    // Convened now: its agenda is built at once, under the agenda rules' version (no case of this unit needs it yet).
    expect(convened.body).toMatchObject({
      unit: team.unit, sittingAt: '2027-01-07T14:00:00.000Z', durationMinutes: 45, status: 'agenda-built', liaisonId: team.prosecutor.id, scheduleId: null,
      agendaVersion: system.policies.region.agenda?.version, agenda: [],
    });
    expect(convened.body.attendees).toEqual(expect.arrayContaining([team.prosecutor.id, team.ds.id, team.di.id]));
    expect(convened.body.attendees).not.toContain(team.officer.id);

    const inJanuary = await as(team.officer, 'GET', `/clinics?unit=${team.unit}&from=2027-01-01T00:00:00Z&to=2027-02-01T00:00:00Z`);
    expect(inJanuary.status).toBe(200);
    expect(inJanuary.body.map((k: { id: string }) => k.id)).toContain(convened.body.id);
    expect((await as(team.officer, 'GET', `/clinics?unit=${team.unit}&from=2027-02-01T00:00:00Z`)).body.map((k: { id: string }) => k.id)).not.toContain(convened.body.id);
    expect((await as(team.prosecutor, 'GET', `/clinics/${convened.body.id}`)).status).toBe(200);
    const hidden = await as(neighbour.officer, 'GET', `/clinics/${convened.body.id}`);
    expect({ status: hidden.status, message: hidden.body.message }).toEqual({ status: 404, message: 'That clinic was not found.' });
  });

  it('moves a sitting with the same UID and a raised SEQUENCE, then cancels it with METHOD:CANCEL', async () => {
    const sittingAt = DateTime.now().plus({ days: 5 }).set({ hour: 14, minute: 0, second: 0, millisecond: 0 }).toUTC().toISO()!;
    const { body: clinic } = await as(team.di, 'POST', '/clinics', { unit: team.unit, sittingAt });
    const invites = async (sequence: number) => eventually(async () => {
      const events = (await mailTo(team.ds.email)).flatMap((m) => m.calendars ?? []).map((text) => ({ text, event: Object.values(ical.sync.parseICS(text)).find((c) => c.type === 'VEVENT') as ical.VEvent }));
      return events.find(({ event }) => event.uid === `clinic-${clinic.id}@precharge` && String(event.sequence) === String(sequence));
    });
    expect((await invites(0)).event.start.toISOString()).toBe(new Date(sittingAt).toISOString());

    const later = DateTime.fromISO(sittingAt).plus({ days: 1 }).toUTC().toISO()!;
    const moved = await as(team.di, 'PATCH', `/clinics/${clinic.id}`, { sittingAt: later });
    expect(moved.status).toBe(200);
    expect(moved.body.sittingAt).toBe(new Date(later).toISOString());
    const second = await invites(1);
    expect(second.text).toContain('METHOD:REQUEST');
    expect(second.event.start.toISOString()).toBe(new Date(later).toISOString());

    const cancelled = await as(team.di, 'PATCH', `/clinics/${clinic.id}`, { status: 'cancelled' });
    expect(cancelled.body.status).toBe('cancelled');
    const third = await invites(2);
    expect(third.text).toContain('METHOD:CANCEL');
    expect((await as(team.di, 'PATCH', `/clinics/${clinic.id}`, { sittingAt })).status).toBe(409);
    expect((await as(team.officer, 'PATCH', `/clinics/${clinic.id}`, { status: 'cancelled' })).status).toBe(403);
  });

  it('answers a repeated POST under the same Idempotency-Key with the first schedule or sitting, and refuses the key with another body', async () => {
    const keyed = (key: string, path: string, body: unknown) => api(system.baseUrl, 'POST', path, { token: team.di.token, body, headers: { 'Idempotency-Key': key } });
    const scheduleKey = `schedule-${randomUUID()}`;
    const schedule = { ...fortnightly(), firstSittingAt: '2027-03-02T09:30', durationMinutes: 75 };
    const first = await keyed(scheduleKey, '/clinic-schedules', schedule);
    expect(first.status).toBe(201);
    const again = await keyed(scheduleKey, '/clinic-schedules', schedule);
    expect({ status: again.status, id: again.body.id, nextSittings: again.body.nextSittings }).toEqual({ status: 201, id: first.body.id, nextSittings: first.body.nextSittings });
    const changed = await keyed(scheduleKey, '/clinic-schedules', { ...schedule, durationMinutes: 30 });
    expect({ status: changed.status, message: changed.body.message }).toEqual({ status: 422, message: 'This Idempotency-Key was used with a different request body.' });
    const schedules = (await system.dataSource.query(`SELECT id FROM clinic_schedules WHERE unit = $1 AND first_sitting_at = $2`, [team.unit, schedule.firstSittingAt])) as { id: string }[];
    expect(schedules.map((r) => r.id)).toEqual([first.body.id]);

    const clinicKey = `clinic-${randomUUID()}`;
    const sitting = { unit: team.unit, sittingAt: '2027-02-04T14:00:00Z', durationMinutes: 50 };
    const convened = await keyed(clinicKey, '/clinics', sitting);
    expect(convened.status).toBe(201);
    const twice = await keyed(clinicKey, '/clinics', sitting);
    expect({ status: twice.status, id: twice.body.id, agendaVersion: twice.body.agendaVersion }).toEqual({ status: 201, id: convened.body.id, agendaVersion: convened.body.agendaVersion });
    expect((await keyed(clinicKey, '/clinics', { ...sitting, durationMinutes: 20 })).status).toBe(422);
    // Without a key, the same body convenes another sitting.
    const unkeyed = await as(team.di, 'POST', '/clinics', sitting);
    expect(unkeyed.body.id).not.toBe(convened.body.id);
    const sittings = (await system.dataSource.query(`SELECT id FROM clinics WHERE unit = $1 AND sitting_at = $2`, [team.unit, sitting.sittingAt])) as { id: string }[];
    expect(sittings.map((r) => r.id).sort()).toEqual([convened.body.id, unkeyed.body.id].sort());
  });
});
