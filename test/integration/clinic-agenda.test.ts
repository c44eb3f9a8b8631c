import { DateTime } from 'luxon';
import ical from 'node-ical';
import { seedCaseProjection } from '../support/agenda-seed';
import { createTeam, type Team } from '../support/fixtures';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';

interface AgendaEntry { caseId: string; officerId: string; reasons: { code: string; detail: string }[] }

/**
 * A schedule created through the API fires (its next sitting is within the lead time) and its sitting's workflow builds
 * the agenda from seeded cases: exactly the cases that need the clinic, each with exactly its reasons.
 */
describe('a clinic agenda built from the projections', () => {
  let system: RunningSystem;
  let team: Team;
  let elsewhere: Team;
  const seeded: Record<string, string> = {};

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl);
    elsewhere = await createTeam(system.baseUrl);
    const at = { unit: team.unit, forceId: team.forceId, forceCode: team.forceCode, officerId: team.officer.id, policyVersion: system.policies.region.version };
    const db = system.dataSource;
    Object.assign(seeded, {
      overdue: await seedCaseProjection(db, at, { overdueActionDays: [3, 10] }),
      waiting: await seedCaseProjection(db, at, { stage: 'ea-in-progress', earlyAdviceWaitingDays: 25 }),
      waitingBriefly: await seedCaseProjection(db, at, { stage: 'ea-in-progress', earlyAdviceWaitingDays: 5 }),
      bail: await seedCaseProjection(db, at, { bailExpiresInDays: 12 }),
      bailLater: await seedCaseProjection(db, at, { bailExpiresInDays: 60 }),
      secondPlan: await seedCaseProjection(db, at, { actionPlans: 2 }),
      repeat: await seedCaseProjection(db, at, { stage: 'cps-review', submissions: 2 }),
      oneSubmission: await seedCaseProjection(db, at, { stage: 'cps-review', submissions: 1 }),
      withdrawal: await seedCaseProjection(db, at, { stage: 'victim-disengaging' }),
      silence: await seedCaseProjection(db, at, { lastVictimContactDays: 40 }),
      escalated: await seedCaseProjection(db, at, { referral: 'escalated' }),
      referred: await seedCaseProjection(db, at, { referral: 'referred', overdueActionDays: [1] }),
      onTrack: await seedCaseProjection(db, at, {}),
      charged: await seedCaseProjection(db, at, { stage: 'charged', overdueActionDays: [20] }),
      restricted: await seedCaseProjection(db, at, { restricted: true, overdueActionDays: [20] }),
      dsOwn: await seedCaseProjection(db, { ...at, officerId: team.ds.id }, { overdueActionDays: [4] }),
      otherUnit: await seedCaseProjection(db, { ...at, unit: elsewhere.unit, officerId: elsewhere.officer.id }, { overdueActionDays: [20] }),
    });
  }, 120_000);
  afterAll(() => system?.stop());

  it('puts exactly the cases at risk on the agenda, each with its reasons, and records the rules\' version', async () => {
    // The first sitting is tomorrow at 10:00 London time (a working day ahead): within the two-day lead time, so it fires now.
    let first = DateTime.now().setZone('Europe/London').plus({ days: 1 });
    while (first.weekday > 5 || system.policies.region.nonWorkingDays.includes(first.toISODate()!)) first = first.plus({ days: 1 });
    const schedule = await api(system.baseUrl, 'POST', '/clinic-schedules', {
      token: team.di.token, body: { unit: team.unit, firstSittingAt: `${first.toISODate()}T10:00`, timezone: 'Europe/London', rrule: 'FREQ=WEEKLY;INTERVAL=2', durationMinutes: 60, agendaLeadTime: 'P7D' },
    });
    expect(schedule.status).toBe(201);
    const sitting = await eventually(async () => {
      const list = await api(system.baseUrl, 'GET', `/clinics?unit=${team.unit}`, { token: team.di.token });
      return list.body.find((k: { scheduleId: string; status: string }) => k.scheduleId === schedule.body.id && k.status === 'agenda-built');
    });
    expect(sitting.sittingAt).toBe(schedule.body.nextSittings[0]);
    expect(sitting.agendaVersion).toBe(system.policies.region.agenda?.version);

    const clinic = await api(system.baseUrl, 'GET', `/clinics/${sitting.id}`, { token: team.prosecutor.token });
    expect(clinic.status).toBe(200);
    const codes = Object.fromEntries((clinic.body.agenda as AgendaEntry[]).map((e) => [Object.keys(seeded).find((k) => seeded[k] === e.caseId), e.reasons.map((r) => r.code)]));
    expect(codes).toEqual({
      overdue: ['action-overdue'],
      waiting: ['early-advice-waiting'],
      bail: ['bail-expiring'],
      secondPlan: ['second-action-plan'],
      repeat: ['repeat-consultations'],
      withdrawal: ['victim-disengaging'],
      silence: ['victim-disengaging'],
      escalated: ['escalated'],
      referred: ['action-overdue', 'referred'],
      dsOwn: ['action-overdue'],
    });
    const overdue = (clinic.body.agenda as AgendaEntry[]).find((e) => e.caseId === seeded.overdue)!;
    expect(overdue.reasons[0].detail).toMatch(/^2 actions overdue, the oldest due \d{4}-\d{2}-\d{2} \(10 days ago\)$/);
    expect(overdue.officerId).toBe(team.officer.id);
    expect(clinic.body.attendees).toEqual(expect.arrayContaining([team.prosecutor.id, team.officer.id, team.ds.id, team.di.id]));

    // Each attendee's email carries their part of the agenda and an invite a maintained parser reads as the sitting.
    const urns = new Map(((await system.dataSource.query(`SELECT id, urn FROM cases WHERE id = ANY($1)`, [Object.values(seeded)])) as { id: string; urn: string }[]).map((r) => [r.id, r.urn]));
    const invite = async (email: string) => eventually(async () => (await mailTo(email)).find((m) => m.subject?.startsWith('Case progression clinic') && m.calendars?.length));
    const officerMail = await invite(team.officer.email);
    const dsMail = await invite(team.ds.email);
    const liaisonMail = await invite(team.prosecutor.email);
    await invite(team.di.email);
    expect(officerMail.text).toContain(urns.get(seeded.overdue));
    expect(officerMail.text).not.toContain(urns.get(seeded.dsOwn));
    expect(officerMail.text).not.toContain(urns.get(seeded.onTrack));
    expect(dsMail.text).toContain(urns.get(seeded.dsOwn));
    expect(dsMail.text).toContain(urns.get(seeded.overdue));
    expect(liaisonMail.text).toContain('action-overdue (2 actions overdue');
    const event = Object.values(ical.sync.parseICS(officerMail.calendars![0])).find((c) => c.type === 'VEVENT') as ical.VEvent;
    expect(officerMail.calendars![0]).toContain('METHOD:REQUEST');
    expect(event.uid).toBe(`clinic-${sitting.id}@precharge`);
    expect(event.start.toISOString()).toBe(sitting.sittingAt);
    expect(DateTime.fromJSDate(event.start).setZone('Europe/London').toFormat('HH:mm')).toBe('10:00');
    const invited = ([] as unknown[]).concat(event.attendee).map((a) => JSON.stringify(a).toLowerCase());
    for (const person of [team.prosecutor, team.ds, team.di, team.officer]) expect(invited).toEqual(expect.arrayContaining([expect.stringContaining(`mailto:${person.email}`)]));
    const officerTasks = (await system.dataSource.query(`SELECT case_id FROM tasks WHERE person_id = $1 AND kind = 'clinic'`, [team.officer.id])) as { case_id: string }[];
    expect(officerTasks.map((t) => t.case_id)).toContain(seeded.overdue);
    expect(officerTasks.map((t) => t.case_id)).not.toContain(seeded.dsOwn);

    // Referrals taken up by this sitting are not carried to the next one.
    const open = (await system.dataSource.query(`SELECT count(*)::int AS n FROM clinic_referrals WHERE case_id = ANY($1) AND clinic_id IS NULL`, [[seeded.escalated, seeded.referred]])) as { n: number }[];
    expect(open[0].n).toBe(0);
  });
});
