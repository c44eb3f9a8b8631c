import { randomInt, randomUUID } from 'node:crypto';
import { api, type RunningSystem, startSystem } from './system';
import { tokenFor } from './tokens';

/** Synthetic data only: invented names, a reserved example mail domain. */
export const SYNTHETIC_VICTIM = 'Zephyrine Testvictim';
export const SYNTHETIC_SUSPECT = 'Quillon Testsuspect';
/** What every synthetic suspect's national id starts with. */
export const SYNTHETIC_NATIONAL_ID_PREFIX = 'PNC-SYN-';
/** A synthetic national id of its own: letters after the prefix, so no redaction pattern (a phone number, a date) takes it for something else. */
const syntheticNationalId = () => `${SYNTHETIC_NATIONAL_ID_PREFIX}${Array.from({ length: 8 }, () => String.fromCharCode(65 + randomInt(0, 26))).join('')}`;

/**
 * A URN of a force: its Home Office code, station `X?` and a random serial and year (FIXTURE_FORCE's code unless told).
 * The whole run's tests share one database, thousands of cases with them (imports among them): some 260 million
 * URNs keep a chance collision (a 409) out of reach. No station of the generator's (G…) or the demo's (DM).
 */
export function randomUrn(code = '45'): string {
  return `${code}X${String.fromCharCode(65 + randomInt(0, 26))}${String(randomInt(0, 99999)).padStart(5, '0')}${String(randomInt(0, 100)).padStart(2, '0')}`;
}

export function caseBody(over: { unit: string; officerId: string; urn?: string; forceCode?: string }) {
  return {
    urn: over.urn ?? randomUrn(over.forceCode),
    offence: { type: 'rape', penetrative: true, committedFrom: '2026-10-01', committedTo: '2026-10-02' },
    reportedAt: '2026-11-20T10:00:00Z',
    unit: over.unit,
    officerId: over.officerId,
    victim: { name: SYNTHETIC_VICTIM, dateOfBirth: '1994-03-17', vulnerable: true, contactPreference: 'via-isva' },
    // A national id of its own: to the repeat-suspect rule each case's suspect is another person, so the NFA cases one
    // test makes never flag another test's cases in the shared database.
    suspects: [{ name: SYNTHETIC_SUSPECT, dateOfBirth: '1988-07-29', nationalId: syntheticNationalId() }],
  };
}

export interface Member { id: string; email: string; token: string }

export interface Team {
  unit: string;
  /** The unit's force, and its Home Office code (the start of its URNs). */
  forceId: string;
  forceCode: string;
  /** The CPS area of the team serving the unit. */
  areaId: string;
  admin: string;
  officer: Member;
  ds: Member;
  di: Member;
  /** The CPS side: a DCP (triage) and a prosecutor who reports to them. */
  dcp: Member;
  prosecutor: Member;
}

/** The force every team belongs to unless told otherwise: randomUrn's URNs carry its code. */
export const FIXTURE_FORCE = { id: 'fixture-force', code: '45', name: 'Fixture Constabulary' };
export const FIXTURE_AREA = { id: 'fixture-cps-area', name: 'Fixture CPS area' };
/**
 * A second force served by the same CPS area, and a third served by another area: the region's other forces. Teams find
 * a force by its code, so each code here is used by no other test's force.
 */
export const NEIGHBOUR_FORCE = { id: 'neighbour-constabulary', code: '46', name: 'Neighbour Constabulary' };
export const DISTANT_FORCE = { id: 'distant-constabulary', code: '41', name: 'Distant Constabulary' };
export const DISTANT_AREA = { id: 'distant-cps-area', name: 'Distant CPS area' };

/**
 * The force or area with this code or id, created through the admin API if the database has none yet. Teams share one
 * per run; two teams made at once both end up with the one that won.
 */
export async function ensureOrganisation<T extends { id: string; code?: string }>(baseUrl: string, admin: string, path: '/forces' | '/cps-areas', wanted: T): Promise<{ id: string }> {
  const find = async () => {
    const list = await api(baseUrl, 'GET', path, { token: admin });
    if (list.status !== 200) throw new Error(`listing ${path}: ${list.status}`);
    return (list.body as T[]).find((o) => (wanted.code ? o.code === wanted.code : o.id === wanted.id));
  };
  const existing = await find();
  if (existing) return existing;
  const created = await api(baseUrl, 'POST', path, { token: admin, body: wanted });
  if (created.status === 201) return created.body;
  const raced = created.status === 409 ? await find() : undefined;
  if (!raced) throw new Error(`creating ${path} ${wanted.id}: ${created.status} ${JSON.stringify(created.body)}`);
  return raced;
}

/**
 * A police unit with an officer, a DS and a DI in one supervision chain, and a CPS team serving it with a DCP and a
 * prosecutor: units through the organisation API and people through the people API, as an admin.
 */
export async function createTeam(baseUrl: string, unit = `unit-${randomUUID().slice(0, 8)}`, opts: { force?: typeof FIXTURE_FORCE; area?: typeof FIXTURE_AREA } = {}): Promise<Team> {
  // The regional administrator: in no force's directory, so it manages every force.
  const admin = await tokenFor({ sub: randomUUID(), roles: ['admin'], unit: 'headquarters' });
  const force = await ensureOrganisation(baseUrl, admin, '/forces', opts.force ?? FIXTURE_FORCE) as { id: string; code: string };
  const area = await ensureOrganisation(baseUrl, admin, '/cps-areas', opts.area ?? FIXTURE_AREA);
  const setUp = async (method: string, path: string, body: unknown) => {
    const res = await api(baseUrl, method, path, { token: admin, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await setUp('POST', '/units', { id: unit, name: `Test unit ${unit}`, organisation: 'police', forceId: force.id });
  await setUp('POST', '/units', { id: `${unit}-cps`, name: `Test CPS team ${unit}`, organisation: 'cps', areaId: area.id });
  await setUp('PUT', `/units/${unit}/services`, { cpsUnits: [`${unit}-cps`] });
  const person = async (name: string, rank: string, roles: string[], reportsTo?: string, organisation = 'police', personUnit = unit) => {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 6)}@example.test`;
    const res = await api(baseUrl, 'POST', '/people', { token: admin, body: { name, email, roles, organisation, rank, unit: personUnit, ...(reportsTo ? { reportsTo } : {}) } });
    if (res.status !== 201) throw new Error(`creating ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    const id = res.body.id as string;
    return { id, email, token: await tokenFor({ sub: id, roles: roles as never, unit: personUnit }) };
  };
  const di = await person('DI Test Inspector', 'DI', ['supervisor']);
  const ds = await person('DS Test Sergeant', 'DS', ['supervisor'], di.id);
  const officer = await person('DC Test Officer', 'DC', ['officer'], ds.id);
  const dcp = await person('Test DCP', 'DCP', ['cps'], undefined, 'cps', `${unit}-cps`);
  const prosecutor = await person('Test Prosecutor', 'Prosecutor', ['cps'], dcp.id, 'cps', `${unit}-cps`);
  return { unit, forceId: force.id, forceCode: force.code, areaId: area.id, admin, officer, ds, di, dcp, prosecutor };
}

/** An administrator of the team's force, in its directory: manages that force's people, units and audit log only. */
export async function createForceAdmin(baseUrl: string, team: Team): Promise<Member> {
  const email = `force.admin.${randomUUID().slice(0, 6)}@example.test`;
  const res = await api(baseUrl, 'POST', '/people', {
    token: team.admin, body: { name: 'Force Administrator', email, roles: ['admin'], organisation: 'police', rank: 'Administrator', unit: team.unit },
  });
  if (res.status !== 201) throw new Error(`creating a force administrator: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, email, token: await tokenFor({ sub: res.body.id, roles: ['admin'], unit: team.unit }) };
}

/** The API and a worker on the run's real stack, with a fresh team, for one describe block. */
export function withSystemAndTeam(opts: { policyFile?: string } = {}): { system: RunningSystem; team: Team } {
  const context = {} as { system: RunningSystem; team: Team };
  beforeAll(async () => {
    context.system = await startSystem(opts);
    context.team = await createTeam(context.system.baseUrl);
  });
  afterAll(() => context.system?.stop());
  return context;
}

/**
 * A case of the team's officer with Early Advice given and a one-action plan (the action due in `dueInMs`): referred to
 * the CPS, stage action-plan-open. Returns the case and the action.
 */
export async function caseWithOneAction(baseUrl: string, team: Team, dueInMs: number): Promise<{ caseId: string; actionId: string }> {
  const call = async (who: Member, method: string, path: string, body?: unknown) => {
    const res = await api(baseUrl, method, path, { token: who.token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const kase = await call(team.officer, 'POST', '/cases', caseBody({ unit: team.unit, officerId: team.officer.id }));
  const { requestId } = await call(team.officer, 'POST', `/cases/${kase.id}/early-advice`, {
    summary: 'Synthetic summary for a clinic test.', linesOfInquiry: ['CCTV'], issues: ['Identification'], questions: ['Is CCTV enough?'],
  });
  await call(team.ds, 'POST', `/early-advice/${requestId}/endorse`);
  await call(team.dcp, 'POST', `/early-advice/${requestId}/triage`, { decision: 'accept', prosecutorId: team.prosecutor.id });
  const advised = await call(team.prosecutor, 'POST', `/early-advice/${requestId}/advice`, {
    advice: 'Synthetic advice with one action.', actionPlan: { actions: [{ description: 'Obtain CCTV from the venue', owner: 'police', dueAt: new Date(Date.now() + dueInMs).toISOString(), decisionCritical: true }] },
  });
  return { caseId: kase.id, actionId: advised.actions[0].id };
}
