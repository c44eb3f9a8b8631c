import { caseBody, createTeam, type Team } from '../support/fixtures';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';

/**
 * Notices addressed to "a DCP" follow the organisation model: a unit's Early Advice triage notice (and the appeal of a
 * rejection) reaches the DCPs of the CPS team serving that unit, never another team's, even in the same CPS area.
 */
describe('Early Advice and triage notices reach only the DCPs of the team serving the unit', () => {
  let system: RunningSystem;
  let team: Team;
  let neighbour: Team;

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl);
    // Another unit of the same force and area, with its own CPS team and DCP.
    neighbour = await createTeam(system.baseUrl);
  });
  afterAll(() => system?.stop());

  it('emails the serving team\'s DCP and no other', async () => {
    const call = (who: { token: string }, method: string, path: string, body?: unknown) => api(system.baseUrl, method, path, { token: who.token, body });
    const kase = (await call(team.officer, 'POST', '/cases', caseBody({ unit: team.unit, officerId: team.officer.id }))).body;
    const { requestId } = (await call(team.officer, 'POST', `/cases/${kase.id}/early-advice`, {
      summary: 'Synthetic summary for the notice test.', linesOfInquiry: ['CCTV'], issues: ['Identification'], questions: ['Is CCTV enough?'],
    })).body;
    expect((await call(team.ds, 'POST', `/early-advice/${requestId}/endorse`)).status).toBe(200);
    const triage = await eventually(async () => (await mailTo(team.dcp.email)).find((m) => m.subject?.includes(kase.urn) && m.subject.includes('awaits CPS triage')), 20_000);
    expect(triage.text).toContain(`/cases/${kase.id}`);
    const rejected = await call(team.dcp, 'POST', `/early-advice/${requestId}/triage`, { decision: 'reject', reasons: ['no-mg3'] });
    expect(rejected.status).toBe(200);
    expect((await call(team.di, 'POST', `/early-advice/${requestId}/appeal`, { reason: 'Synthetic appeal.' })).status).toBe(200);
    await eventually(async () => (await mailTo(team.dcp.email)).find((m) => m.subject?.includes(kase.urn) && m.subject.includes('appealed')), 20_000);
    // Let any stray notice arrive before looking for one at the other team.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const elsewhere = [...await mailTo(neighbour.dcp.email), ...await mailTo(neighbour.prosecutor.email)];
    expect(elsewhere.filter((m) => m.subject?.includes(kase.urn) || m.text?.includes(kase.urn))).toEqual([]);
  });
});
