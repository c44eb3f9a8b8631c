import { randomUUID } from 'node:crypto';
import { AuditEntry } from '../../db/entities';
import { seedCaseProjection } from '../support/agenda-seed';
import { caseBody, createTeam, NEIGHBOUR_FORCE, SYNTHETIC_SUSPECT, SYNTHETIC_VICTIM, type Team } from '../support/fixtures';
import { api, type RunningSystem, startSystem } from '../support/system';
import { pageOrigin, signedInClient, type WebClient } from '../support/web-session';

const titleOf = (html: string) => html.match(/<title>([^<]*)<\/title>/)?.[1] ?? '';
/** The agenda entry of one case on a clinic page (its section, up to the next one). */
const entryOf = (html: string, caseId: string) => html.slice(html.indexOf(`id="case-${caseId}"`)).split('</section>')[0];

/**
 * The clinic pages answer as the clinic API does, because they call the same ClinicsService: the same status for a
 * clinic the person may not see, the same validation of an outcome (shown as field errors), the same audit entries.
 * Over HTTP, without a browser.
 */
describe('clinic pages', () => {
  let system: RunningSystem;
  let team: Team;
  let neighbour: Team;
  let sameForce: Team;
  let liaison: WebClient;
  let di: WebClient;
  const ids = {} as { clinic: string; overdue: string; registered: string; neighbourClinic: string };

  beforeAll(async () => {
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' } });
    [team, sameForce, neighbour] = await Promise.all([
      createTeam(system.baseUrl), createTeam(system.baseUrl), createTeam(system.baseUrl, undefined, { force: NEIGHBOUR_FORCE }),
    ]);
    ids.overdue = await seedCaseProjection(system.dataSource, {
      unit: team.unit, forceId: team.forceId, forceCode: team.forceCode, officerId: team.officer.id, policyVersion: system.policies.region.version,
    }, { overdueActionDays: [4] });
    // A registered case (a victim and a suspect with names) that a supervisor refers to the next clinic.
    ids.registered = (await api(system.baseUrl, 'POST', '/cases', { token: team.officer.token, body: caseBody({ unit: team.unit, officerId: team.officer.id }) })).body.id;
    await api(system.baseUrl, 'POST', `/cases/${ids.registered}/clinic-referral`, { token: team.ds.token, body: { reason: 'Synthetic: the victim may be disengaging.' } });
    const convene = async (t: Team) => {
      const res = await api(system.baseUrl, 'POST', '/clinics', { token: t.di.token, body: { unit: t.unit, sittingAt: new Date(Date.now() + 86_400_000).toISOString(), location: 'Room 2' } });
      if (res.status !== 201) throw new Error(`convening: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; liaisonId: string };
    };
    const [clinic, neighbourClinic] = await Promise.all([convene(team), convene(neighbour)]);
    expect(clinic.liaisonId).toBe(team.prosecutor.id);
    [ids.clinic, ids.neighbourClinic] = [clinic.id, neighbourClinic.id];
    [liaison, di] = await Promise.all([signedInClient(pageOrigin(system), team.prosecutor.id), signedInClient(pageOrigin(system), team.di.id)]);
  }, 120_000);
  afterAll(() => system?.stop());

  it('lists the liaison\'s clinics and shows the sitting, then the agenda case by case with its reasons in words and a form to record the outcome', async () => {
    const list = await liaison.get('/clinics');
    expect(list.status).toBe(200);
    expect(list.body).toContain(`href="/clinics/${ids.clinic}"`);
    expect(list.body).not.toContain(`href="/clinics/${ids.neighbourClinic}"`);
    expect(list.body).toContain('href="/clinics"');

    const page = await liaison.get(`/clinics/${ids.clinic}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Test Prosecutor');
    expect(page.body).toContain('Room 2');
    const entry = entryOf(page.body, ids.overdue);
    expect(entry).toContain(`href="/cases/${ids.overdue}"`);
    expect(entry).toContain('Action overdue');
    expect(entry).toMatch(/1 action overdue, the oldest due \d{4}-\d{2}-\d{2} \(4 days ago\)/);
    expect(entry).toContain('DC Test Officer');
    expect(entry).toContain('data-form="clinic-outcome"');
    for (const outcome of ['continue', 'amend-plan', 'ready-to-submit', 'consider-nfa', 'escalate']) expect(entry).toContain(`value="${outcome}"`);
    // The seeded open action (overdue) and the one on track, each with a date to re-date it to and its id beside it.
    expect(entry.match(/name="actionDueDates\[\d\]\[actionId\]"/g)).toHaveLength(2);
    expect(entry).toContain(`id="case-${ids.overdue}-actionDueDates-0-dueAt"`);
    // The registered case was never referred to the CPS: the liaison's agenda leaves it out, as the API's does.
    expect(page.body).not.toContain(ids.registered);

    // The DI sees both, the referral in words; a DS or DI of the unit may record outcomes too.
    const theirs = await di.get(`/clinics/${ids.clinic}`);
    expect(entryOf(theirs.body, ids.registered)).toContain('Referred by a supervisor');
    expect(entryOf(theirs.body, ids.registered)).toContain('data-form="clinic-outcome"');
    // An officer sees the agenda but records nothing.
    const officer = await signedInClient(pageOrigin(system), team.officer.id);
    const officersView = await officer.get(`/clinics/${ids.clinic}`);
    expect(officersView.status).toBe(200);
    expect(officersView.body).toContain(ids.overdue);
    expect(officersView.body).not.toContain('data-form="clinic-outcome"');
  });

  it('refuses an outcome the API refuses: the error summary linked to the fields, the answers kept, nothing recorded', async () => {
    const page = await liaison.get(`/clinics/${ids.clinic}`);
    const actionIds = [...entryOf(page.body, ids.overdue).matchAll(/name="actionDueDates\[(\d)\]\[actionId\]" value="([^"]+)"/g)].map((m) => m[2]);
    const form = { outcome: 'amend-plan', note: 'Synthetic note to keep', ...Object.fromEntries(actionIds.map((id, i) => [`actionDueDates[${i}][actionId]`, id])) };
    const refused = await liaison.post(`/clinics/${ids.clinic}/cases/${ids.overdue}/outcome`, form);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('govuk-error-summary');
    expect(titleOf(refused.body)).toMatch(/^Error: Clinic, /);
    // Amending the plan needs a new date: the API's own list validation, shown on the first date.
    expect(refused.body).toContain(`href="#case-${ids.overdue}-actionDueDates-0-dueAt"`);
    expect(refused.body).toContain('Enter a new due date for at least one action');
    const entry = entryOf(refused.body, ids.overdue);
    expect(entry).toContain('>Synthetic note to keep</textarea>');
    expect(entry).toMatch(/value="amend-plan" checked/);
    expect(entry).toContain(`id="case-${ids.overdue}-actionDueDates-0-dueAt-group-error"`);

    const blank = await liaison.post(`/clinics/${ids.clinic}/cases/${ids.overdue}/outcome`, { note: '' });
    expect(blank.status).toBe(400);
    expect(blank.body).toContain(`href="#case-${ids.overdue}-outcome"`);
    expect(blank.body).toContain(`href="#case-${ids.overdue}-note"`);
    expect(entryOf(blank.body, ids.overdue)).toContain('govuk-error-message');

    const badDate = await liaison.post(`/clinics/${ids.clinic}/cases/${ids.overdue}/outcome`, { ...form, 'actionDueDates[0][dueAt][day]': '31', 'actionDueDates[0][dueAt][month]': '2', 'actionDueDates[0][dueAt][year]': '2027' });
    expect(badDate.status).toBe(400);
    expect(badDate.body).toContain('Enter a real date');

    const read = await api(system.baseUrl, 'GET', `/clinics/${ids.clinic}`, { token: team.di.token });
    expect((read.body.agenda as { caseId: string; outcome?: string }[]).find((e) => e.caseId === ids.overdue)?.outcome).toBeUndefined();
  });

  it('records an outcome in place, then shows it there after the redirect, audited like the API route', async () => {
    const res = await di.post(`/clinics/${ids.clinic}/cases/${ids.registered}/outcome`, { outcome: 'continue', note: 'Synthetic: keep going.' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/clinics/${ids.clinic}#case-${ids.registered}`);
    const page = await di.get(`/clinics/${ids.clinic}`);
    expect(page.body).toContain('Outcome recorded: Continue');
    const entry = entryOf(page.body, ids.registered);
    expect(entry).toContain('Decided:');
    expect(entry).not.toContain('data-form="clinic-outcome"');
    const audit = await system.dataSource.getRepository(AuditEntry).findOne({ where: { caseId: ids.registered, actorId: team.di.id, method: 'POST' }, order: { seq: 'DESC' } });
    expect(audit).toMatchObject({ route: '/clinics/:id/cases/:caseId/outcome', action: 'case.write', resourceId: ids.clinic, outcome: 303 });
    // Recorded once: a second try is the API's 409, shown on the page.
    const again = await di.post(`/clinics/${ids.clinic}/cases/${ids.registered}/outcome`, { outcome: 'escalate', note: 'Again' });
    expect(again.status).toBe(409);
    expect(again.body).toContain('already recorded');

    // The case page lists the clinic: when, why, what was decided, linked to the clinic page.
    const kase = await di.get(`/cases/${ids.registered}`);
    const history = kase.body.slice(kase.body.indexOf('data-test="clinic-history"')).split('</table>')[0];
    expect(history).toContain(`href="/clinics/${ids.clinic}#case-${ids.registered}"`);
    expect(history).toContain('Referred by a supervisor');
    expect(history).toContain('Continue: work goes on as planned');
  });

  it.each([
    ['the liaison, their own clinic', () => team.prosecutor, () => ids.clinic],
    ['a DI of another unit of the same force', () => sameForce.di, () => ids.clinic],
    ['a DI of another force', () => neighbour.di, () => ids.clinic],
    ['a prosecutor of a team not serving the unit', () => neighbour.prosecutor, () => ids.clinic],
    ['the liaison, a clinic that does not exist', () => team.prosecutor, () => randomUUID()],
    ['the liaison, something that is not a clinic id', () => team.prosecutor, () => 'not-a-clinic'],
  ])('answers %s with the same status as the API', async (_who, person, id) => {
    const page = await (await signedInClient(pageOrigin(system), person().id)).get(`/clinics/${id()}`);
    const route = await api(system.baseUrl, 'GET', `/clinics/${id()}`, { token: person().token });
    expect(page.status).toBe(route.status);
    if (page.status === 404) expect(page.body).toContain('was not found');
  });

  it('refuses an outcome from someone who is neither the liaison nor a supervisor of the unit, as the API does', async () => {
    const other = await signedInClient(pageOrigin(system), sameForce.di.id);
    expect((await other.post(`/clinics/${ids.clinic}/cases/${ids.overdue}/outcome`, { outcome: 'continue', note: 'Synthetic' })).status).toBe(403);
    const dcp = await signedInClient(pageOrigin(system), team.dcp.id);
    expect((await dcp.post(`/clinics/${ids.clinic}/cases/${ids.overdue}/outcome`, { outcome: 'continue', note: 'Synthetic' })).status).toBe(403);
  });

  it('keeps the victim and suspect out of the clinic pages\' titles and addresses, and out of every cache', async () => {
    for (const path of ['/clinics', `/clinics/${ids.clinic}`, '/clinic-schedules']) {
      const page = await di.get(path);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      for (const name of [SYNTHETIC_VICTIM, SYNTHETIC_SUSPECT, 'Testvictim', 'Testsuspect']) {
        expect(titleOf(page.body)).not.toContain(name);
        expect([...page.body.matchAll(/(?:href|action)="([^"]*)"/g)].map((m) => m[1]).join(' ')).not.toContain(name);
        // The agenda names no victim or suspect at all: URNs, reasons and officers only.
        expect(page.body).not.toContain(name);
      }
    }
    expect(titleOf((await di.get(`/clinics/${ids.clinic}`)).body)).toMatch(/^Clinic, \w{3}, \d{1,2} \w{3} \d{4}, \d{2}:\d{2} – /);
  });

  describe('the schedule page', () => {
    it('creates a fortnightly schedule shown with its next sittings at 10:00 UK time, then pauses and resumes it', async () => {
      const created = await di.post('/clinic-schedules', {
        'firstSittingAt[day]': '1', 'firstSittingAt[month]': '12', 'firstSittingAt[year]': String(new Date().getFullYear() + 1), 'firstSittingAt[hour]': '10', 'firstSittingAt[minute]': '00',
        rrule: 'FREQ=WEEKLY;INTERVAL=2', durationMinutes: '90', agendaLeadTime: 'P2D', liaisonId: team.prosecutor.id, location: 'Video link',
      });
      expect(created.status).toBe(303);
      const page = await di.get('/clinic-schedules');
      expect(page.body).toContain('Clinic schedule created');
      expect(page.body).toContain('Every two weeks');
      const sittings = page.body.slice(page.body.indexOf('data-test="next-sittings"')).split('</ul>')[0];
      expect(sittings.match(/, 10:00</g)).toHaveLength(6);
      const [schedule] = (await api(system.baseUrl, 'GET', `/clinic-schedules?unit=${team.unit}`, { token: team.di.token })).body as { id: string; liaisonId: string; durationMinutes: number; timezone: string }[];
      expect(schedule).toMatchObject({ liaisonId: team.prosecutor.id, durationMinutes: 90, timezone: 'Europe/London' });

      expect((await di.post(`/clinic-schedules/${schedule.id}/pause`)).status).toBe(303);
      expect((await di.get('/clinic-schedules')).body).toContain('no sitting is made until it resumes');
      expect((await di.post(`/clinic-schedules/${schedule.id}/resume`)).status).toBe(303);
      const changed = await di.post(`/clinic-schedules/${schedule.id}`, { rrule: 'FREQ=WEEKLY', location: 'Room 3' });
      expect(changed.status).toBe(303);
      const after = (await api(system.baseUrl, 'GET', `/clinic-schedules?unit=${team.unit}`, { token: team.di.token })).body[0];
      expect(after).toMatchObject({ status: 'active', rrule: 'FREQ=WEEKLY', location: 'Room 3', durationMinutes: 90 });
    });

    it('shows a refused schedule with its field errors, and convenes an extra clinic', async () => {
      const refused = await di.post('/clinic-schedules', { 'firstSittingAt[day]': '40', rrule: 'FREQ=WEEKLY' });
      expect(refused.status).toBe(400);
      expect(refused.body).toContain('href="#new-schedule-firstSittingAt"');
      expect(refused.body).toContain('href="#new-schedule-durationMinutes"');
      expect(refused.body).toMatch(/value="FREQ=WEEKLY" checked/);

      const at = new Date(Date.now() + 3 * 86_400_000);
      const convened = await di.post('/clinics', {
        'sittingAt[day]': String(at.getUTCDate()), 'sittingAt[month]': String(at.getUTCMonth() + 1), 'sittingAt[year]': String(at.getUTCFullYear()), 'sittingAt[hour]': '14', 'sittingAt[minute]': '30', durationMinutes: '60',
      });
      expect(convened.status).toBe(303);
      expect(convened.location).toMatch(/^\/clinics\/[0-9a-f-]{36}$/);
      const page = await di.get(convened.location!);
      expect(page.body).toContain('Extra clinic convened');
      expect(page.body).toContain(', 14:30');

      const officer = await signedInClient(pageOrigin(system), team.officer.id);
      expect((await officer.get('/clinic-schedules')).status).toBe(403);
    });
  });
});
