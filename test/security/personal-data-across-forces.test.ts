import { join } from 'node:path';
import { caseBody, createForceAdmin, createTeam, DISTANT_AREA, DISTANT_FORCE, type Member, NEIGHBOUR_FORCE, type Team } from '../support/fixtures';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';
import { pageOrigin, signedInClient } from '../support/web-session';

/** Planted, distinctive synthetic personal data of one force's victim and suspect. */
const VICTIM = 'Ysolde Xfmarker-Victim';
const SUSPECT = 'Barnaby Xfmarker-Suspect';
const VICTIM_DOB = '1981-02-14';
const NATIONAL_ID = 'PNC-XFMARK-5521907Q';

/**
 * One force's victim, planted in its case, its Early Advice request and a victim contact note, must be absent from
 * everything another force's staff can read: lists, the case and its items, inboxes, My work, the dashboard, the pages,
 * their emails, their administrator's audit log and every error body, and so must the case itself (its id and URN).
 * The CPS of another area is outside the force's reach too. Each search also finds what it should where it should.
 */
describe("one force's personal data, as another force's staff see the region", () => {
  let system: RunningSystem;
  let home: Team;
  let neighbour: Team;
  let distant: Team;
  let homeAdmin: Member;
  let neighbourAdmin: Member;
  const planted = {} as { caseId: string; urn: string; requestId: string };
  const theirs = {} as { caseId: string };

  const ok = async (who: { token: string } | string, method: string, path: string, body?: unknown) => {
    const res = await api(system.baseUrl, method, path, { token: typeof who === 'string' ? who : who.token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** A registered case referred for Early Advice, advised with one action falling due in seconds. */
  async function referredCase(team: Team, body: ReturnType<typeof caseBody>, summary: string) {
    const kase = await ok(team.officer, 'POST', '/cases', body);
    const { requestId } = await ok(team.officer, 'POST', `/cases/${kase.id}/early-advice`, { summary, linesOfInquiry: ['CCTV'], issues: ['Consent'], questions: ['Threshold?'] });
    await ok(team.ds, 'POST', `/early-advice/${requestId}/endorse`);
    await ok(team.dcp, 'POST', `/early-advice/${requestId}/triage`, { decision: 'accept', prosecutorId: team.prosecutor.id });
    await ok(team.prosecutor, 'POST', `/early-advice/${requestId}/advice`, {
      advice: 'Synthetic advice with one action to complete.', actionPlan: { actions: [{ description: 'Obtain CCTV', owner: 'police', dueAt: new Date(Date.now() + 6_000).toISOString(), decisionCritical: false }] },
    });
    return { caseId: kase.id as string, urn: kase.urn as string, requestId: requestId as string };
  }

  beforeAll(async () => {
    system = await startSystem({ policyFile: join(__dirname, '..', 'fixtures', 'fast-policy.json'), env: { DEMO_SIGN_IN: 'true' } });
    home = await createTeam(system.baseUrl);
    neighbour = await createTeam(system.baseUrl, undefined, { force: NEIGHBOUR_FORCE });
    distant = await createTeam(system.baseUrl, undefined, { force: DISTANT_FORCE, area: DISTANT_AREA });
    [homeAdmin, neighbourAdmin] = [await createForceAdmin(system.baseUrl, home), await createForceAdmin(system.baseUrl, neighbour)];

    const body = caseBody({ unit: home.unit, officerId: home.officer.id, forceCode: home.forceCode });
    Object.assign(planted, await referredCase(home, { ...body, victim: { ...body.victim, name: VICTIM, dateOfBirth: VICTIM_DOB }, suspects: [{ name: SUSPECT, dateOfBirth: '1970-01-01', nationalId: NATIONAL_ID }] },
      `${VICTIM} (born ${VICTIM_DOB}) reported that ${SUSPECT} (${NATIONAL_ID}) assaulted her.`));
    await ok(home.officer, 'POST', `/cases/${planted.caseId}/victim-contacts`, { kind: 'routine-update', note: `Spoke to ${VICTIM} about ${SUSPECT}.` });
    // The other forces have cases of their own, so their lists, inboxes and mail are not empty by accident.
    theirs.caseId = (await referredCase(neighbour, caseBody({ unit: neighbour.unit, officerId: neighbour.officer.id, forceCode: neighbour.forceCode }), 'Synthetic summary for the other force.')).caseId;
    await referredCase(distant, caseBody({ unit: distant.unit, officerId: distant.officer.id, forceCode: distant.forceCode }), 'Synthetic summary for the other force.');
    // Every ladder has run: the home force's DI and the others' DIs have their escalations and mail.
    for (const di of [home.di, neighbour.di, distant.di]) await eventually(async () => (await mailTo(di.email)).some((m) => m.subject?.startsWith('Overdue')), 30_000);
  }, 180_000);
  afterAll(() => system?.stop());

  const markers = () => [VICTIM, SUSPECT, VICTIM_DOB, NATIONAL_ID, 'Xfmarker', planted.caseId, planted.urn, planted.requestId];
  const found = (text: string) => markers().filter((m) => text.includes(m));

  /** Everything one person can read through the API, including refused attempts on the planted case. */
  async function apiReads(who: Member, roles: { supervisor?: boolean; admin?: boolean } = {}): Promise<string> {
    const paths = ['/cases?pageSize=100', `/cases/${planted.caseId}`, `/cases/${planted.caseId}/timeline`, `/cases/${planted.caseId}/action-plans`,
      '/tasks?status=all', '/escalations?status=all', '/my-work', ...(roles.supervisor ? ['/dashboard'] : [])];
    const adminPaths = ['/audit?pageSize=200', `/audit?caseId=${planted.caseId}`, '/people', '/units'];
    const reads = await Promise.all((roles.admin ? adminPaths : paths).map((path) => api(system.baseUrl, 'GET', path, { token: who.token })));
    const writes = roles.admin ? [] : await Promise.all([
      api(system.baseUrl, 'POST', `/cases/${planted.caseId}/victim-contacts`, { token: who.token, body: { kind: 'routine-update', note: 'Synthetic note.' } }),
      api(system.baseUrl, 'POST', `/early-advice/${planted.requestId}/endorse`, { token: who.token }),
    ]);
    return JSON.stringify([...reads, ...writes].map((r) => ({ status: r.status, body: r.body })));
  }

  async function pageReads(who: Member): Promise<string> {
    const pages = await signedInClient(pageOrigin(system), who.id);
    const bodies = await Promise.all(['/', '/cases', `/cases/${planted.caseId}`, '/dashboard'].map(async (path) => (await pages.get(path)).body));
    return bodies.join('\n');
  }

  const mailOf = async (who: Member) => JSON.stringify(await mailTo(who.email));

  it("is there for the home force's own staff (the searches can fail)", async () => {
    expect(found(await apiReads(home.officer))).toEqual(expect.arrayContaining([VICTIM, SUSPECT, NATIONAL_ID, planted.caseId, planted.urn]));
    expect(found(await pageReads(home.officer))).toEqual(expect.arrayContaining([VICTIM, planted.urn]));
    expect(found(await mailOf(home.ds))).toEqual(expect.arrayContaining([planted.urn]));
    expect(found(await apiReads(homeAdmin, { admin: true }))).toEqual(expect.arrayContaining([planted.caseId]));
  });

  it.each([
    ['officer', () => neighbour.officer, {}],
    ['DS', () => neighbour.ds, { supervisor: true }],
    ['DI', () => neighbour.di, { supervisor: true }],
  ] as const)("is absent from everything another force's %s can read: API, refusals, pages and mail", async (_who, person, roles) => {
    const read = await apiReads(person(), roles);
    expect(read).toContain(theirs.caseId); // their own force's case is there
    expect(found(read)).toEqual([]);
    expect(found(await pageReads(person()))).toEqual([]);
    expect(found(await mailOf(person()))).toEqual([]);
  });

  it("is absent from another force's administrator's audit log and directory", async () => {
    const read = await apiReads(neighbourAdmin, { admin: true });
    expect(read).toContain(theirs.caseId); // their own force's entries are there
    expect(found(read)).toEqual([]);
  });

  it('is absent from everything the CPS of another area can read', async () => {
    for (const person of [distant.dcp, distant.prosecutor]) {
      const read = await apiReads(person);
      expect(found(read)).toEqual([]);
      expect(found(await pageReads(person))).toEqual([]);
      expect(found(await mailOf(person))).toEqual([]);
    }
  });
});
