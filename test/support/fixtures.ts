import { randomInt, randomUUID } from 'node:crypto';
import { api, type RunningSystem, startSystem } from './system';
import { tokenFor } from './tokens';

/** Synthetic data only: invented names, a reserved example mail domain. */
export const SYNTHETIC_VICTIM = 'Zephyrine Testvictim';
export const SYNTHETIC_SUSPECT = 'Quillon Testsuspect';

export function randomUrn(): string {
  return `45XY${String(randomInt(0, 99999)).padStart(5, '0')}${String(randomInt(20, 27))}`;
}

export function caseBody(over: { unit: string; officerId: string; urn?: string }) {
  return {
    urn: over.urn ?? randomUrn(),
    offence: { type: 'rape', penetrative: true, committedFrom: '2026-10-01', committedTo: '2026-10-02' },
    reportedAt: '2026-11-20T10:00:00Z',
    unit: over.unit,
    officerId: over.officerId,
    victim: { name: SYNTHETIC_VICTIM, dateOfBirth: '1994-03-17', vulnerable: true, contactPreference: 'via-isva' },
    suspects: [{ name: SYNTHETIC_SUSPECT, dateOfBirth: '1988-07-29', nationalId: 'PNC-SYN-000123' }],
  };
}

export interface Member { id: string; email: string; token: string }

export interface Team {
  unit: string;
  admin: string;
  officer: Member;
  ds: Member;
  di: Member;
  /** The CPS side: a DCP (triage) and a prosecutor who reports to them. */
  dcp: Member;
  prosecutor: Member;
}

/** A unit with an officer, a DS and a DI in one supervision chain, created through the people API as an admin. */
export async function createTeam(baseUrl: string, unit = `unit-${randomUUID().slice(0, 8)}`): Promise<Team> {
  const admin = await tokenFor({ sub: randomUUID(), roles: ['admin'], unit: 'headquarters' });
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
  return { unit, admin, officer, ds, di, dcp, prosecutor };
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
