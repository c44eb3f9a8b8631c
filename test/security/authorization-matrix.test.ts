import { randomUUID } from 'node:crypto';
import { caseBody, createForceAdmin, createTeam, DISTANT_AREA, DISTANT_FORCE, type Member, NEIGHBOUR_FORCE, type Team } from '../support/fixtures';
import { api, type RunningSystem, startSystem } from '../support/system';
import { tokenFor } from '../support/tokens';
import {
  type CaseFixture, concretePath, expectedCells, type Fixture, MATRIX_ROLES, type MatrixRole, relationshipsOf, type Relationship, RELATIONSHIPS, ROUTE_MATRIX,
} from './route-matrix';

const TEXT = 'Synthetic text written for the authorisation matrix fixtures.';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** How a response looks to authorisation: U 401, F 403, H the 404 of an unknown or hidden case, item or record, E 5xx, A anything else. */
function classify(res: { status: number; body: { message?: unknown } | undefined }): string {
  if (res.status === 401) return 'U';
  if (res.status === 403) return 'F';
  if (res.status === 404 && typeof res.body?.message === 'string' && /^That .+ was not found\.$/.test(res.body.message)) return 'H';
  if (res.status >= 500) return 'E';
  return 'A';
}

/** Every route the running app registered with Express (method + pattern), Swagger's own pages and middleware left out. */
function servedRoutes(system: RunningSystem): string[] {
  const express = system.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: unknown; methods: Record<string, boolean> } }[] } };
  return express.router.stack.flatMap(({ route }) => {
    if (!route || typeof route.path !== 'string' || !route.path.startsWith('/api/') || route.path.startsWith('/api/docs') || route.path.includes('*')) return [];
    return Object.keys(route.methods).map((method) => `${method.toUpperCase()} ${route.path as string}`);
  });
}

/**
 * Every route × every role × own unit / another unit of the same force / another force of the same CPS area / a force
 * of another area (and a restricted case the caller is not named on), against the real system with real tokens,
 * generated from test/security/route-matrix.ts.
 */
describe('authorisation matrix', () => {
  let system: RunningSystem;
  let fixture: Fixture;
  const tokens = {} as Record<MatrixRole, string>;
  const restrictedTo: string[] = [];

  /** One case referred to the CPS, with an Early Advice request, an action plan with one action, a submission; and a second, NFA'd case under review. */
  async function buildCase(team: Team, oic: Member): Promise<CaseFixture> {
    const call = async (who: { token: string } | string, method: string, path: string, body?: unknown) => {
      const res = await api(system.baseUrl, method, path, { token: typeof who === 'string' ? who : who.token, body });
      if (res.status >= 300) throw new Error(`fixture ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    /** Registered, Early Advice given with an action plan: referred to the CPS, stage action-plan-open. */
    const referred = async () => {
      const kase = await call(oic, 'POST', '/cases', caseBody({ unit: team.unit, officerId: oic.id, forceCode: team.forceCode }));
      const { requestId } = await call(oic, 'POST', `/cases/${kase.id}/early-advice`, { summary: TEXT, linesOfInquiry: ['ABE interview'], issues: ['Consent'], questions: ['Threshold?'] });
      await call(team.ds, 'POST', `/early-advice/${requestId}/endorse`);
      await call(team.dcp, 'POST', `/early-advice/${requestId}/triage`, { decision: 'accept', prosecutorId: team.prosecutor.id });
      const advised = await call(team.prosecutor, 'POST', `/early-advice/${requestId}/advice`, {
        advice: TEXT, actionPlan: { actions: [{ description: 'Obtain the phone download', owner: 'police', dueAt: inDays(14), decisionCritical: false }] },
      });
      return { caseId: kase.id as string, requestId: requestId as string, advised };
    };
    const { caseId, requestId, advised } = await referred();
    const { submissionId } = await call(oic, 'POST', `/cases/${caseId}/submissions`, {
      test: 'full-code', category: 'green', report: TEXT,
      checklist: { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true },
    });
    const read = await call(oic, 'GET', `/cases/${caseId}`);
    const schedule = await call(team.di, 'POST', '/clinic-schedules', {
      unit: team.unit, firstSittingAt: '2027-01-05T10:00', timezone: 'Europe/London', rrule: 'FREQ=WEEKLY;INTERVAL=2', durationMinutes: 60, agendaLeadTime: 'P2D',
    });
    // Referred first, so the case is on its unit's ad-hoc clinic's agenda (outcome routes find it there).
    await call(team.di, 'POST', `/cases/${caseId}/clinic-referral`, { reason: TEXT });
    const clinic = await call(team.di, 'POST', '/clinics', { unit: team.unit, sittingAt: inDays(21) });

    const { caseId: reviewCaseId } = await referred();
    // Outcome 15: the police NFA stratum of a scrutiny panel's sample, so the unit's panel has a pack to read.
    await call(team.ds, 'POST', `/cases/${reviewCaseId}/police-nfa`, { outcomeCode: 15, rationale: TEXT });
    const { reviewId } = await call(oic, 'POST', `/cases/${reviewCaseId}/reviews`, { scheme: 'police', request: TEXT });
    const panel = await call(team.di, 'POST', '/panels', { scope: { unit: team.unit }, period: { from: inDays(-1), to: inDays(1) }, sittingAt: inDays(7), members: [team.ds.id] });
    const [sampled] = await call(team.di, 'GET', `/panels/${panel.id}/cases`);
    const learningAction = await call(team.di, 'POST', `/panels/${panel.id}/learning-actions`, { description: TEXT, ownerId: team.ds.id, dueAt: inDays(30) });
    return {
      unit: team.unit, forceId: team.forceId, forceCode: team.forceCode, cpsUnit: `${team.unit}-cps`, caseId, officerId: oic.id, earlyAdviceId: requestId, actionPlanId: advised.actionPlans[0].id, actionId: advised.actions[0].id,
      submissionId, clockKey: read.clocks[0].key, suspectId: read.suspects[0].id, reviewId, reviewCaseId, clinicScheduleId: schedule.id, clinicId: clinic.id,
      panelId: panel.id, panelLabel: sampled?.label ?? 'P-2000Q1-01', learningActionId: learningAction.id,
    };
  }

  beforeAll(async () => {
    system = await startSystem({ env: { RATE_LIMIT_PER_MINUTE: '100000', AUTH_FAILURES_PER_MINUTE: '100000' } });
    const team = await createTeam(system.baseUrl);
    const otherTeam = await createTeam(system.baseUrl);
    const neighbourTeam = await createTeam(system.baseUrl, undefined, { force: NEIGHBOUR_FORCE });
    const distantTeam = await createTeam(system.baseUrl, undefined, { force: DISTANT_FORCE, area: DISTANT_AREA });
    // The restricted case's officer in case is a colleague in the same unit; the matrix's officer is not on it.
    const colleagueRes = await api(system.baseUrl, 'POST', '/people', {
      token: team.admin, body: { name: 'DC Matrix Colleague', email: `matrix.colleague.${randomUUID().slice(0, 6)}@example.test`, roles: ['officer'], organisation: 'police', rank: 'DC', unit: team.unit, reportsTo: team.ds.id },
    });
    const colleague: Member = { id: colleagueRes.body.id, email: colleagueRes.body.email, token: await tokenFor({ sub: colleagueRes.body.id, roles: ['officer'], unit: team.unit }) };

    const [own, other, otherForce, otherArea, restricted] = [
      await buildCase(team, team.officer), await buildCase(otherTeam, otherTeam.officer), await buildCase(neighbourTeam, neighbourTeam.officer),
      await buildCase(distantTeam, distantTeam.officer), await buildCase(team, colleague),
    ];
    restrictedTo.push(team.ds.id);
    for (const caseId of [restricted.caseId, restricted.reviewCaseId]) {
      const res = await api(system.baseUrl, 'POST', `/cases/${caseId}/restriction`, { token: team.admin, body: { restricted: true, people: restrictedTo } });
      if (res.status !== 200) throw new Error(`restricting: ${res.status} ${JSON.stringify(res.body)}`);
    }
    fixture = { cases: { own, other, otherForce, otherArea, restricted }, prosecutorId: team.prosecutor.id, dsId: team.ds.id };

    Object.assign(tokens, {
      officer: team.officer.token, supervisor: team.di.token, cps: team.dcp.token, admin: (await createForceAdmin(system.baseUrl, team)).token, 'regional-admin': team.admin,
      panel: await tokenFor({ sub: randomUUID(), roles: ['panel'], unit: team.unit }),
      analyst: await tokenFor({ sub: randomUUID(), roles: ['analyst'], unit: team.unit }),
    });
  }, 120_000);
  afterAll(() => system?.stop());

  it('has exactly one entry for every route the app serves', () => {
    const table = ROUTE_MATRIX.map((e) => `${e.method} ${e.path}`);
    const served = servedRoutes(system);
    expect(new Set(table).size).toBe(table.length);
    expect({ missingFromTable: served.filter((r) => !table.includes(r)), notServed: table.filter((r) => !served.includes(r)) })
      .toEqual({ missingFromTable: [], notServed: [] });
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = await api(system.baseUrl, 'GET', '/docs-json');
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(ROUTE_MATRIX.map((e) => `${e.method} ${e.path}`).filter((r) => !documented.includes(r))).toEqual([]);
  });

  describe.each(ROUTE_MATRIX.map((entry) => [`${entry.method} ${entry.path}`, entry] as const))('%s', (_name, entry) => {
    if (!entry.public) {
      it('refuses a request without a token (401)', async () => {
        const res = await api(system.baseUrl, entry.method, concretePath(entry, fixture, relationshipsOf(entry)[0]), { body: entry.body?.(fixture, 'own') });
        expect(res.status).toBe(401);
      });
    }

    const cells = MATRIX_ROLES.flatMap((role) => relationshipsOf(entry).map((rel, i) => [role, rel, expectedCells(entry, role)[i]] as const));
    it.each(cells)('%s on %s → %s', async (role, rel, expected) => {
      const res = await api(system.baseUrl, entry.method, concretePath(entry, fixture, rel), {
        token: tokens[role], body: entry.body?.(fixture, rel === 'any' ? 'own' : rel as Relationship),
      });
      expect({ cell: classify(res), status: res.status, message: res.body?.message }).toEqual({ cell: expected, status: res.status, message: res.body?.message });
    });
  });

  it('lists show the police their own force only, and the CPS the forces its area serves', async () => {
    const listed = async (role: MatrixRole) => Object.fromEntries(await Promise.all(RELATIONSHIPS.filter((rel) => rel !== 'restricted').map(async (rel) => {
      const list = await api(system.baseUrl, 'GET', `/cases?pageSize=100&unit=${fixture.cases[rel].unit}`, { token: tokens[role] });
      expect(list.status).toBe(200);
      return [rel, list.body.items.some((c: { id: string }) => c.id === fixture.cases[rel].caseId)];
    })));
    expect(await listed('officer')).toEqual({ own: true, other: false, otherForce: false, otherArea: false });
    expect(await listed('supervisor')).toEqual({ own: true, other: false, otherForce: false, otherArea: false });
    expect(await listed('cps')).toEqual({ own: true, other: true, otherForce: true, otherArea: false });
  });

  it('lists never show a restricted case to people not named on it', async () => {
    const { restricted } = fixture.cases;
    for (const role of ['officer', 'supervisor', 'cps'] as const) {
      const list = await api(system.baseUrl, 'GET', '/cases?pageSize=100', { token: tokens[role] });
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).not.toEqual(expect.arrayContaining([restricted.caseId]));
      expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(restricted.reviewCaseId);
    }
    const named = await tokenFor({ sub: restrictedTo[0], roles: ['supervisor'], unit: fixture.cases.own.unit });
    const namedList = await api(system.baseUrl, 'GET', '/cases?pageSize=100', { token: named });
    expect(namedList.body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([restricted.caseId, restricted.reviewCaseId]));
  });
});
