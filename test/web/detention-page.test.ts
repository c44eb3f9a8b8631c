import { DateTime } from 'luxon';
import { caseBody, createTeam, type Team } from '../support/fixtures';
import { api, type RunningSystem, startSystem } from '../support/system';
import { pageOrigin, signedInClient, type WebClient } from '../support/web-session';

/**
 * A suspect's arrival in custody recorded through the case page: the page then counts the detention limit down in
 * hours and minutes and offers the detention forms the rules allow (review, extension, warrant, release) instead.
 */
describe('detention on the case page', () => {
  let system: RunningSystem;
  let team: Team;
  let officer: WebClient;
  let caseId: string;
  let suspectId: string;
  let custodyOfficerId: string;

  beforeAll(async () => {
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' } });
    team = await createTeam(system.baseUrl);
    const custody = await api(system.baseUrl, 'POST', '/people', {
      token: team.admin, body: { name: 'Custody Sergeant Page', email: `custody.page.${Date.now()}@example.test`, roles: ['officer', 'custody'], organisation: 'police', rank: 'DS', unit: team.unit },
    });
    custodyOfficerId = custody.body.id;
    caseId = (await api(system.baseUrl, 'POST', '/cases', { token: team.officer.token, body: caseBody({ unit: team.unit, officerId: team.officer.id }) })).body.id;
    suspectId = (await api(system.baseUrl, 'GET', `/cases/${caseId}`, { token: team.officer.token })).body.suspects[0].id;
    officer = await signedInClient(pageOrigin(system), team.officer.id);
  }, 120_000);
  afterAll(() => system?.stop());

  it('records an arrival through its form, then counts the limit down in hours and minutes', async () => {
    const before = await officer.get(`/cases/${caseId}`);
    expect(before.body).toContain('data-form="arrival-in-custody"');
    expect(before.body).not.toContain('data-form="extend-detention"');

    // Arrived 1 h 20 min ago (UK wall-clock time on the form).
    const arrived = DateTime.now().setZone('Europe/London').minus({ minutes: 80 });
    const res = await officer.post(`/cases/${caseId}/forms/arrival-in-custody`, {
      targetId: suspectId, custodyOfficerId,
      'relevantTime[day]': String(arrived.day), 'relevantTime[month]': String(arrived.month), 'relevantTime[year]': String(arrived.year),
      'relevantTime[hour]': String(arrived.hour), 'relevantTime[minute]': String(arrived.minute),
    });
    expect(res.status).toBe(303);

    const page = await officer.get(`/cases/${caseId}`);
    expect(page.body).toContain('In custody since');
    expect(page.body.match(/In custody since.{0,400}/s)?.[0]).toMatch(/Due in 22 hours \d+ minutes/);
    for (const form of ['detention-review', 'extend-detention', 'detention-warrant', 'release-nfa']) expect(page.body).toContain(`data-form="${form}"`);
    expect(page.body).not.toContain('data-form="arrival-in-custody"');
    const view = (await api(system.baseUrl, 'GET', `/cases/${caseId}`, { token: team.officer.token })).body;
    expect(view.detention[0]).toMatchObject({ suspectId, custodyOfficerId, relevantTime: arrived.startOf('minute').toUTC().toISO() });
  });
});
