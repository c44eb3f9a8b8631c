import { randomUUID } from 'node:crypto';
import { AuditEntry } from '../../db/entities';
import { caseBody, createTeam, SYNTHETIC_SUSPECT, SYNTHETIC_VICTIM, type Team } from '../support/fixtures';
import { api, type RunningSystem, startSystem } from '../support/system';
import { pageOrigin, signedInClient, type WebClient } from '../support/web-session';

/**
 * Pages answer as the API does, because they call the same services: the same status for a case the person may not
 * see, and an audit entry for every page read. Over HTTP, without a browser.
 */
describe('case pages', () => {
  let system: RunningSystem;
  let team: Team;
  let other: Team;
  let officer: WebClient;
  const ids = {} as { own: string; other: string; restricted: string };

  beforeAll(async () => {
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' } });
    [team, other] = await Promise.all([createTeam(system.baseUrl), createTeam(system.baseUrl)]);
    const register = async (t: Team) => (await api(system.baseUrl, 'POST', '/cases', { token: t.officer.token, body: caseBody({ unit: t.unit, officerId: t.officer.id }) })).body.id as string;
    [ids.own, ids.other, ids.restricted] = await Promise.all([register(team), register(other), register(team)]);
    // Restricted to nobody but its officer in case (who is not our officer: this one is another team's).
    await api(system.baseUrl, 'POST', `/cases/${ids.restricted}/restriction`, { token: team.admin, body: { restricted: true, people: [] } });
    officer = await signedInClient(pageOrigin(system), team.ds.id);
  }, 120_000);
  afterAll(() => system?.stop());

  it.each([
    ['their own unit\'s case', () => ids.own],
    ["another unit's case", () => ids.other],
    ['a restricted case they are not named on', () => ids.restricted],
    ['a case that does not exist', () => randomUUID()],
    ['something that is not a case id', () => 'not-a-case'],
  ])('a page of %s answers with the same status as the API', async (_what, id) => {
    const page = await officer.get(`/cases/${id()}`);
    const route = await api(system.baseUrl, 'GET', `/cases/${id()}`, { token: team.ds.token });
    expect(page.status).toBe(route.status);
    if (page.status === 404) expect(page.body).toContain('was not found');
  });

  it('shows a restricted case exactly like one that does not exist', async () => {
    const restricted = await officer.get(`/cases/${ids.restricted}`);
    const missing = await officer.get(`/cases/${randomUUID()}`);
    expect(restricted.status).toBe(404);
    const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    expect(main(restricted.body)).toBe(main(missing.body));
  });

  it("records each page read in the audit log, with the case it showed", async () => {
    const before = await system.dataSource.getRepository(AuditEntry).count({ where: { caseId: ids.own, actorId: team.ds.id } });
    expect((await officer.get(`/cases/${ids.own}`)).status).toBe(200);
    const entries = await system.dataSource.getRepository(AuditEntry).find({ where: { caseId: ids.own, actorId: team.ds.id }, order: { seq: 'DESC' } });
    expect(entries.length).toBe(before + 1);
    expect(entries[0]).toMatchObject({ route: '/cases/:id', action: 'case.read', outcome: 200, method: 'GET' });
    // Another unit's case: the refused look is logged too.
    await officer.get(`/cases/${ids.other}`);
    const refused = await system.dataSource.getRepository(AuditEntry).findOne({ where: { caseId: ids.other, actorId: team.ds.id }, order: { seq: 'DESC' } });
    expect(refused).toMatchObject({ route: '/cases/:id', outcome: 403 });
  });

  it('keeps the victim and suspect out of the title and the address, and out of every cache', async () => {
    const page = await officer.get(`/cases/${ids.own}`);
    expect(page.body).toContain(SYNTHETIC_VICTIM);
    const title = page.body.match(/<title>([^<]*)<\/title>/)?.[1] ?? '';
    expect(title).toMatch(/^Case 45X[A-Z]\d{7}/);
    expect(title).not.toContain(SYNTHETIC_VICTIM);
    expect(title).not.toContain(SYNTHETIC_SUSPECT);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('filters the case list as a person leaves the filters: empty choices mean any, a bad one is a clear 400', async () => {
    const any = await officer.get('/cases?stage=&officerId=&page=1');
    expect(any.status).toBe(200);
    expect(any.body).toContain(`/cases/${ids.own}`);
    const mine = await officer.get(`/cases?stage=investigating&officerId=${team.officer.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toContain(`/cases/${ids.own}`);
    const nobody = await officer.get(`/cases?officerId=${randomUUID()}`);
    expect(nobody.body).not.toContain(`/cases/${ids.own}`);
    expect((await officer.get('/cases?stage=nonsense')).status).toBe(400);
  });

  it('offers only the forms the rules allow this person now', async () => {
    const page = await officer.get(`/cases/${ids.own}`);
    // A DS at the start: Early Advice, a police NFA; nothing for the CPS or a gatekeeper.
    for (const form of ['request-early-advice', 'police-nfa', 'victim-contact']) expect(page.body).toContain(`data-form="${form}"`);
    for (const form of ['triage-early-advice', 'approve-file', 'decide', 'record-advice']) expect(page.body).not.toContain(`data-form="${form}"`);
    const dcp = await signedInClient(pageOrigin(system), team.dcp.id);
    // The CPS sees a case only once it is referred.
    expect((await dcp.get(`/cases/${ids.own}`)).status).toBe(403);
  });

  it('refuses a form the rules do not allow, showing the reason on the page, and changes nothing', async () => {
    expect((await officer.get(`/cases/${ids.own}/forms/close-case`)).status).toBe(404);
    const res = await officer.post(`/cases/${ids.own}/forms/close-case`);
    expect(res.status).toBe(409);
    expect(res.body).toContain('Closing the case is not possible');
    const view = await api(system.baseUrl, 'GET', `/cases/${ids.own}`, { token: team.ds.token });
    expect(view.body.stage).toBe('investigating');
  });

  it('shows the API\'s field errors on the form, linked to their fields, and keeps the answers', async () => {
    const res = await officer.post(`/cases/${ids.own}/forms/request-early-advice`, { summary: 'Too short', linesOfInquiry: 'Phone download', issues: '', questions: 'Is it enough?' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('href="#summary"');
    expect(res.body).toContain('Enter at least 20 characters');
    expect(res.body).toContain('href="#issues"');
    expect(res.body).toContain('>Too short</textarea>');
    expect((await officer.get(`/cases/${ids.own}/forms/request-early-advice`)).status).toBe(200);
  });
});
