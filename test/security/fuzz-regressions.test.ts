import { createTeam, type Team } from '../support/fixtures';
import { api, type RunningSystem, startSystem } from '../support/system';

/** Requests the API fuzzer (scripts/fuzz-api.sh) once answered with a 500: each is a caller's mistake, so a 4xx. */
describe('API fuzzing regressions', () => {
  let system: RunningSystem;
  let team: Team;

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl);
  });
  afterAll(() => system?.stop());

  it('refuses null for a required field in a people PATCH (400), and still allows clearing reportsTo', async () => {
    for (const field of ['roles', 'name', 'email', 'organisation', 'rank', 'unit', 'active', 'escalationDelivery']) {
      const res = await api(system.baseUrl, 'PATCH', `/people/${team.officer.id}`, { token: team.admin, body: { [field]: null } });
      expect({ field, status: res.status, details: res.body.details?.map((d: { field: string }) => d.field) }).toEqual({ field, status: 400, details: expect.arrayContaining([field]) });
    }
    const cleared = await api(system.baseUrl, 'PATCH', `/people/${team.officer.id}`, { token: team.admin, body: { reportsTo: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.reportsTo).toBeNull();
  });

  it('refuses NUL characters, which PostgreSQL cannot store, in queries, bodies and paths (400 naming the field)', async () => {
    const people = await api(system.baseUrl, 'GET', '/people?unit=%19%00%C3%9E', { token: team.admin });
    expect({ status: people.status, details: people.body.details }).toEqual({ status: 400, details: [{ field: 'unit', problem: 'contains a NUL character' }] });
    const cases = await api(system.baseUrl, 'GET', '/cases?unit=a%00b', { token: team.officer.token });
    expect(cases.status).toBe(400);
    const created = await api(system.baseUrl, 'POST', '/people', {
      token: team.admin, body: { name: 'DC Nul\u0000Byte', email: 'nul.byte@example.test', roles: ['officer'], organisation: 'police', rank: 'DC', unit: team.unit },
    });
    expect({ status: created.status, details: created.body.details }).toEqual({ status: 400, details: [{ field: 'name', problem: 'contains a NUL character' }] });
    expect((await api(system.baseUrl, 'GET', '/cases/%00', { token: team.officer.token })).status).toBe(400);
  });

  it('refuses audit time bounds PostgreSQL cannot read (an offset of -22:12), and still takes real offsets', async () => {
    const odd = await api(system.baseUrl, 'GET', `/audit?from=${encodeURIComponent('6089-03-28T01:13:11-22:12')}&actorId=%C2%86`, { token: team.admin });
    expect({ status: odd.status, fields: odd.body.details?.map((d: { field: string }) => d.field) }).toEqual({ status: 400, fields: ['from'] });
    expect((await api(system.baseUrl, 'GET', `/audit?to=${encodeURIComponent('9999-12-31T23:59:59-23:59')}`, { token: team.admin })).status).toBe(400);
    expect((await api(system.baseUrl, 'GET', `/audit?from=${encodeURIComponent('2026-01-01T00:00:00+01:00')}&to=${encodeURIComponent('2030-01-01T00:00:00.000Z')}`, { token: team.admin })).status).toBe(200);
  });
});
