import { withSystemAndTeam } from '../support/fixtures';
import { api } from '../support/system';

/** Requests the API fuzzer (scripts/fuzz-api.sh) once answered with a 500: each is a caller's mistake, so a 4xx. */
describe('API fuzzing regressions', () => {
  const context = withSystemAndTeam();

  it('refuses null for a required field in a people PATCH (400), and still allows clearing reportsTo', async () => {
    for (const field of ['roles', 'name', 'email', 'organisation', 'rank', 'unit', 'active', 'escalationDelivery']) {
      const res = await api(context.system.baseUrl, 'PATCH', `/people/${context.team.officer.id}`, { token: context.team.admin, body: { [field]: null } });
      expect({ field, status: res.status, details: res.body.details?.map((d: { field: string }) => d.field) }).toEqual({ field, status: 400, details: expect.arrayContaining([field]) });
    }
    const cleared = await api(context.system.baseUrl, 'PATCH', `/people/${context.team.officer.id}`, { token: context.team.admin, body: { reportsTo: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.reportsTo).toBeNull();
  });

  it('refuses NUL characters, which PostgreSQL cannot store, in queries, bodies and paths (400 naming the field)', async () => {
    const people = await api(context.system.baseUrl, 'GET', '/people?unit=%19%00%C3%9E', { token: context.team.admin });
    expect({ status: people.status, details: people.body.details }).toEqual({ status: 400, details: [{ field: 'unit', problem: 'contains a NUL character' }] });
    const cases = await api(context.system.baseUrl, 'GET', '/cases?unit=a%00b', { token: context.team.officer.token });
    expect(cases.status).toBe(400);
    const created = await api(context.system.baseUrl, 'POST', '/people', {
      token: context.team.admin, body: { name: 'DC Nul\u0000Byte', email: 'nul.byte@example.test', roles: ['officer'], organisation: 'police', rank: 'DC', unit: context.team.unit },
    });
    expect({ status: created.status, details: created.body.details }).toEqual({ status: 400, details: [{ field: 'name', problem: 'contains a NUL character' }] });
    expect((await api(context.system.baseUrl, 'GET', '/cases/%00', { token: context.team.officer.token })).status).toBe(400);
  });

  it('refuses audit time bounds PostgreSQL cannot read (an offset of -22:12), and still takes real offsets', async () => {
    const odd = await api(context.system.baseUrl, 'GET', `/audit?from=${encodeURIComponent('6089-03-28T01:13:11-22:12')}&actorId=%C2%86`, { token: context.team.admin });
    expect({ status: odd.status, fields: odd.body.details?.map((d: { field: string }) => d.field) }).toEqual({ status: 400, fields: ['from'] });
    expect((await api(context.system.baseUrl, 'GET', `/audit?to=${encodeURIComponent('9999-12-31T23:59:59-23:59')}`, { token: context.team.admin })).status).toBe(400);
    expect((await api(context.system.baseUrl, 'GET', `/audit?from=${encodeURIComponent('2026-01-01T00:00:00+01:00')}&to=${encodeURIComponent('2030-01-01T00:00:00.000Z')}`, { token: context.team.admin })).status).toBe(200);
  });
});
