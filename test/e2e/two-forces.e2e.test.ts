import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { caseBody, createTeam, type Member, NEIGHBOUR_FORCE, type Team } from '../support/fixtures';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';
import { pageOrigin, signedInClient } from '../support/web-session';

/**
 * One deployment, two forces and the CPS area serving both, on the real stack under a policy of second-scale action
 * clocks: each force's officer registers a case, the area's one DCP triages both, each officer finds the other force's
 * case as absent as an unknown one (API and pages), and each force's overdue action escalates to its own supervisors
 * only.
 */
describe('two forces served by one CPS area', () => {
  let system: RunningSystem;
  let north: Team;
  let south: Team;
  /** The DCP and prosecutor of the CPS team serving both forces' units (the north team's). */
  let dcp: Member;
  let prosecutor: Member;
  const cases = {} as Record<'north' | 'south', { id: string; urn: string; requestId?: string }>;

  const call = async (who: { token: string } | string, method: string, path: string, body?: unknown) => {
    const res = await api(system.baseUrl, method, path, { token: typeof who === 'string' ? who : who.token, body });
    return res;
  };
  const ok = async (who: { token: string } | string, method: string, path: string, body?: unknown) => {
    const res = await call(who, method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    system = await startSystem({ policyFile: join(__dirname, '..', 'fixtures', 'fast-policy.json'), env: { DEMO_SIGN_IN: 'true' } });
    north = await createTeam(system.baseUrl);
    south = await createTeam(system.baseUrl, undefined, { force: NEIGHBOUR_FORCE });
    ({ dcp, prosecutor } = north);
    // The north CPS team serves the south force's unit too: one DCP for the area's cases of both forces.
    await ok(north.admin, 'PUT', `/units/${south.unit}/services`, { cpsUnits: [`${north.unit}-cps`, `${south.unit}-cps`] });
  }, 120_000);
  afterAll(() => system?.stop());

  it("registers a case in each force, with that force's code, and refuses the other force's code", async () => {
    expect(north.forceId).not.toBe(south.forceId);
    for (const [name, team] of [['north', north], ['south', south]] as const) {
      const created = await ok(team.officer, 'POST', '/cases', caseBody({ unit: team.unit, officerId: team.officer.id, forceCode: team.forceCode }));
      expect(created.urn.slice(0, 2)).toBe(team.forceCode);
      cases[name] = { id: created.id, urn: created.urn };
    }
    const wrongCode = await call(south.officer, 'POST', '/cases', caseBody({ unit: south.unit, officerId: south.officer.id, forceCode: north.forceCode }));
    expect({ status: wrongCode.status, details: wrongCode.body.details }).toEqual({ status: 422, details: [expect.objectContaining({ field: 'urn' })] });
    // A supervisor registers for their own force only.
    const across = await call(south.ds, 'POST', '/cases', caseBody({ unit: north.unit, officerId: north.officer.id, forceCode: north.forceCode }));
    expect(across.status).toBe(403);
  });

  it("lets the area's DCP triage both forces' Early Advice requests", async () => {
    for (const [name, team] of [['north', north], ['south', south]] as const) {
      const { requestId } = await ok(team.officer, 'POST', `/cases/${cases[name].id}/early-advice`, {
        summary: 'Synthetic summary for the two-forces test.', linesOfInquiry: ['CCTV'], issues: ['Identification'], questions: ['Is CCTV enough?'],
      });
      await ok(team.ds, 'POST', `/early-advice/${requestId}/endorse`);
      const triaged = await ok(dcp, 'POST', `/early-advice/${requestId}/triage`, { decision: 'accept', prosecutorId: prosecutor.id });
      expect(triaged.earlyAdvice[0]).toMatchObject({ status: 'accepted', prosecutorId: prosecutor.id });
      cases[name].requestId = requestId;
    }
    for (const name of ['north', 'south'] as const) expect((await call(dcp, 'GET', `/cases/${cases[name].id}`)).status).toBe(200);
  });

  it("answers each officer 404 on the other force's case, exactly as for an unknown case, in the API and the pages", async () => {
    const unknown = randomUUID();
    for (const [team, theirs] of [[north, cases.south], [south, cases.north]] as const) {
      const res = await call(team.officer, 'GET', `/cases/${theirs.id}`);
      const missing = await call(team.officer, 'GET', `/cases/${unknown}`);
      expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: missing.body });
      expect((await call(team.officer, 'GET', `/cases/${theirs.id}/timeline`)).status).toBe(404);
      expect((await call(team.ds, 'GET', `/cases/${theirs.id}`)).status).toBe(404);
      const listed = await ok(team.ds, 'GET', '/cases?pageSize=100');
      expect(listed.items.map((c: { id: string }) => c.id)).not.toContain(theirs.id);

      const pages = await signedInClient(pageOrigin(system), team.officer.id);
      const page = await pages.get(`/cases/${theirs.id}`);
      const missingPage = await pages.get(`/cases/${unknown}`);
      const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
      expect(page.status).toBe(404);
      expect(main(page.body)).toBe(main(missingPage.body));
      expect(page.body).not.toContain(theirs.urn);
      expect((await pages.get('/cases')).body).not.toContain(theirs.urn);
    }
  });

  it("escalates each force's overdue action to that force's DS and DI only", async () => {
    const dueAt = new Date(Date.now() + 6_000).toISOString();
    for (const name of ['north', 'south'] as const) {
      await ok(prosecutor, 'POST', `/early-advice/${cases[name].requestId}/advice`, {
        advice: 'Synthetic advice with one action that will be left overdue.',
        actionPlan: { actions: [{ description: 'Obtain CCTV from the venue', owner: 'police', dueAt, decisionCritical: true }] },
      });
    }
    const escalated = (who: Member, kase: { urn: string }) => eventually(async () => {
      const mail = await mailTo(who.email);
      return mail.some((m) => m.subject?.startsWith('Overdue') && m.text?.includes(kase.urn)) && mail;
    }, 30_000);
    for (const [team, own, theirs] of [[north, cases.north, cases.south], [south, cases.south, cases.north]] as const) {
      for (const supervisor of [team.ds, team.di]) {
        const mail = await escalated(supervisor, own);
        expect(JSON.stringify(mail)).not.toContain(theirs.urn);
        const escalations = await ok(supervisor, 'GET', '/escalations?mine=true&status=all');
        expect(escalations.map((t: { caseId: string }) => t.caseId)).toContain(own.id);
        expect(escalations.map((t: { caseId: string }) => t.caseId)).not.toContain(theirs.id);
      }
    }
    // The supervision chain itself cannot cross forces, so no ladder can climb out of one.
    const crossing = await call(north.admin, 'PATCH', `/people/${south.officer.id}`, { reportsTo: north.ds.id });
    expect({ status: crossing.status, details: crossing.body.details }).toEqual({ status: 422, details: [expect.objectContaining({ field: 'reportsTo' })] });
    // The tasks the ladders filed carry their case's force.
    const forces = await system.dataSource.query('SELECT DISTINCT t.force_id, c.force_id AS case_force FROM tasks t JOIN cases c ON c.id = t.case_id WHERE t.case_id = ANY($1)', [[cases.north.id, cases.south.id]]);
    expect(forces.every((r: { force_id: string; case_force: string }) => r.force_id === r.case_force)).toBe(true);
    expect(forces.length).toBe(2);
  });
});
