import { randomUUID } from 'node:crypto';
import { caseBody, createTeam, FIXTURE_AREA, type Team } from '../support/fixtures';
import { api, type RunningSystem, startSystem } from '../support/system';

const SECOND_FORCE = { id: 'second-constabulary', code: '47', name: 'Second Constabulary' };
const fresh = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;
const fields = (res: { body: { details?: { field: string }[] } }) => res.body.details?.map((d) => d.field);

/** The region's organisation over HTTP: forces, CPS areas, units, who serves whom; people placed by their unit; URNs by force. */
describe('the organisation API', () => {
  let system: RunningSystem;
  let team: Team;
  let second: Team;
  const as = (token: string, method: string, path: string, body?: unknown) => api(system.baseUrl, method, path, { token, body });
  const admin = (method: string, path: string, body?: unknown) => as(team.admin, method, path, body);

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl);
    second = await createTeam(system.baseUrl, undefined, { force: SECOND_FORCE });
  });
  afterAll(() => system?.stop());

  it('adds forces and CPS areas, refusing a taken id or code (409) and a malformed one (400)', async () => {
    const force = { id: fresh('force'), code: '48', name: 'Third Constabulary' };
    const created = await admin('POST', '/forces', force);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(force);
    expect((await admin('GET', '/forces')).body).toEqual(expect.arrayContaining([expect.objectContaining(force), expect.objectContaining({ code: '45' })]));

    const sameId = await admin('POST', '/forces', { ...force, code: '49' });
    expect({ status: sameId.status, message: sameId.body.message }).toEqual({ status: 409, message: 'A force with that id already exists.' });
    const sameCode = await admin('POST', '/forces', { ...force, id: fresh('force') });
    expect({ status: sameCode.status, message: sameCode.body.message }).toEqual({ status: 409, message: 'Force code 48 already belongs to another force.' });
    const malformed = await admin('POST', '/forces', { id: 'Not A Slug', code: '4x', name: '' });
    expect({ status: malformed.status, fields: fields(malformed) }).toEqual({ status: 400, fields: expect.arrayContaining(['id', 'code', 'name']) });

    const area = { id: fresh('area'), name: 'CPS Elsewhere' };
    expect((await admin('POST', '/cps-areas', area)).status).toBe(201);
    expect((await admin('GET', '/cps-areas')).body).toEqual(expect.arrayContaining([expect.objectContaining(area)]));
    expect((await admin('POST', '/cps-areas', area)).status).toBe(409);
  });

  it('adds police units to a force and CPS teams to an area, and names the field that is wrong', async () => {
    const police = { id: fresh('unit'), name: 'New RASSO unit', organisation: 'police', forceId: team.forceId };
    const created = await admin('POST', '/units', police);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ ...police, areaId: null, servedBy: [] });
    expect((await admin('POST', '/units', police)).status).toBe(409);

    const unknownForce = await admin('POST', '/units', { ...police, id: fresh('unit'), forceId: 'no-such-force' });
    expect({ status: unknownForce.status, details: unknownForce.body.details }).toEqual({ status: 422, details: [{ field: 'forceId', problem: 'unknown force' }] });
    const noForce = await admin('POST', '/units', { id: fresh('unit'), name: 'Forceless', organisation: 'police' });
    expect({ status: noForce.status, details: noForce.body.details }).toEqual({ status: 422, details: [{ field: 'forceId', problem: 'is required for a police unit' }] });
    const both = await admin('POST', '/units', { ...police, id: fresh('unit'), areaId: FIXTURE_AREA.id });
    expect({ status: both.status, fields: fields(both) }).toEqual({ status: 422, fields: ['areaId'] });
    const unknownArea = await admin('POST', '/units', { id: fresh('team'), name: 'Team', organisation: 'cps', areaId: 'no-such-area' });
    expect({ status: unknownArea.status, details: unknownArea.body.details }).toEqual({ status: 422, details: [{ field: 'areaId', problem: 'unknown CPS area' }] });

    const byForce = await admin('GET', `/units?forceId=${team.forceId}`);
    expect(byForce.status).toBe(200);
    expect(byForce.body.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining([team.unit, police.id]));
    expect(byForce.body.map((u: { id: string }) => u.id)).not.toContain(second.unit);
    expect(byForce.body.find((u: { id: string }) => u.id === team.unit)).toMatchObject({ organisation: 'police', servedBy: [`${team.unit}-cps`] });
    const byArea = await admin('GET', `/units?areaId=${FIXTURE_AREA.id}`);
    expect(byArea.body.find((u: { id: string }) => u.id === `${team.unit}-cps`)).toMatchObject({ organisation: 'cps', serves: [team.unit] });
  });

  it('sets which CPS teams serve a police unit, and only CPS teams, only for a police unit', async () => {
    const served = await admin('PUT', `/units/${team.unit}/services`, { cpsUnits: [`${team.unit}-cps`, `${second.unit}-cps`] });
    expect(served.status).toBe(200);
    expect(served.body.servedBy).toEqual([`${team.unit}-cps`, `${second.unit}-cps`].sort());

    const policeInList = await admin('PUT', `/units/${team.unit}/services`, { cpsUnits: [second.unit, 'no-such-team'] });
    expect({ status: policeInList.status, details: policeInList.body.details }).toEqual({
      status: 422, details: [{ field: 'cpsUnits', problem: `${second.unit} is not a CPS team` }, { field: 'cpsUnits', problem: 'no-such-team is not a CPS team' }],
    });
    const onCpsTeam = await admin('PUT', `/units/${team.unit}-cps/services`, { cpsUnits: [] });
    expect({ status: onCpsTeam.status, fields: fields(onCpsTeam) }).toEqual({ status: 422, fields: ['id'] });
    expect((await admin('PUT', '/units/no-such-unit/services', { cpsUnits: [] })).status).toBe(404);
    expect((await admin('PUT', '/units/Bad_Id/services', { cpsUnits: [] })).status).toBe(400);
    expect((await admin('PUT', `/units/${team.unit}/services`, { cpsUnits: ['dup-team', 'dup-team'] })).status).toBe(400);

    const back = await admin('PUT', `/units/${team.unit}/services`, { cpsUnits: [`${team.unit}-cps`] });
    expect(back.body.servedBy).toEqual([`${team.unit}-cps`]);
  });

  it('renames a unit, moves one nobody belongs to, and refuses to move one with people (409)', async () => {
    const empty = { id: fresh('unit'), name: 'Empty unit', organisation: 'police', forceId: team.forceId };
    expect((await admin('POST', '/units', empty)).status).toBe(201);
    const moved = await admin('PATCH', `/units/${empty.id}`, { name: 'Moved unit', forceId: second.forceId });
    expect({ status: moved.status, body: moved.body }).toEqual({ status: 200, body: expect.objectContaining({ name: 'Moved unit', forceId: second.forceId }) });

    const renamed = await admin('PATCH', `/units/${team.unit}`, { name: 'Renamed RASSO unit' });
    expect({ status: renamed.status, name: renamed.body.name, forceId: renamed.body.forceId }).toEqual({ status: 200, name: 'Renamed RASSO unit', forceId: team.forceId });
    const occupied = await admin('PATCH', `/units/${team.unit}`, { forceId: second.forceId });
    expect(occupied.status).toBe(409);
    const areaForPolice = await admin('PATCH', `/units/${team.unit}`, { areaId: FIXTURE_AREA.id });
    expect({ status: areaForPolice.status, fields: fields(areaForPolice) }).toEqual({ status: 422, fields: ['areaId'] });
    expect((await admin('PATCH', `/units/${team.unit}`, { name: null })).status).toBe(400);
    expect((await admin('PATCH', '/units/no-such-unit', { name: 'x' })).status).toBe(404);
  });

  it('places people in their unit\'s force or area, and refuses an unknown unit or a force that is not the unit\'s (422)', async () => {
    const person = (over: Record<string, unknown>) => ({
      name: 'DC Placed Synthetic', email: `placed.${randomUUID().slice(0, 8)}@example.test`, roles: ['officer'], organisation: 'police', rank: 'DC', unit: team.unit, ...over,
    });
    const officer = await admin('POST', '/people', person({}));
    expect({ status: officer.status, forceId: officer.body.forceId, areaId: officer.body.areaId }).toEqual({ status: 201, forceId: team.forceId, areaId: null });
    const prosecutor = await admin('POST', '/people', person({ roles: ['cps'], organisation: 'cps', rank: 'Prosecutor', unit: `${team.unit}-cps`, areaId: FIXTURE_AREA.id }));
    expect({ status: prosecutor.status, forceId: prosecutor.body.forceId, areaId: prosecutor.body.areaId }).toEqual({ status: 201, forceId: null, areaId: FIXTURE_AREA.id });

    const refusals = [
      [person({ unit: 'no-such-unit' }), { field: 'unit', problem: 'unknown unit' }],
      [person({ unit: `${team.unit}-cps` }), { field: 'unit', problem: 'is a CPS team, not a police unit' }],
      [person({ organisation: 'cps', rank: 'Prosecutor' }), { field: 'unit', problem: 'is a police unit, not a CPS team' }],
      [person({ forceId: 'no-such-force' }), { field: 'forceId', problem: 'unknown force' }],
      [person({ forceId: second.forceId }), { field: 'forceId', problem: `is not the force of unit ${team.unit}` }],
    ] as const;
    for (const [body, detail] of refusals) {
      const res = await admin('POST', '/people', body);
      expect({ status: res.status, details: res.body.details }).toEqual({ status: 422, details: [detail] });
    }

    const transferred = await admin('PATCH', `/people/${officer.body.id}`, { unit: second.unit });
    expect({ status: transferred.status, forceId: transferred.body.forceId }).toEqual({ status: 200, forceId: second.forceId });
    const listed = await admin('GET', `/people?forceId=${second.forceId}`);
    expect(listed.body.map((p: { id: string }) => p.id)).toContain(officer.body.id);
    expect(listed.body.every((p: { forceId: string }) => p.forceId === second.forceId)).toBe(true);
  });

  it('registers a case in its unit\'s force and refuses a URN of another force (422 on urn) or an unknown unit (422 on unit)', async () => {
    const other = await as(second.officer.token, 'POST', '/cases', caseBody({ unit: second.unit, officerId: second.officer.id, urn: `47SC${String(Date.now()).slice(-7)}` }));
    expect(other.status).toBe(201);
    const [row] = await system.dataSource.query('SELECT force_id FROM cases WHERE id = $1', [other.body.id]);
    expect(row.force_id).toBe(second.forceId);

    const wrongForce = await as(team.officer.token, 'POST', '/cases', caseBody({ unit: team.unit, officerId: team.officer.id, urn: '47XY0000126' }));
    expect({ status: wrongForce.status, details: wrongForce.body.details }).toEqual({ status: 422, details: [{ field: 'urn', problem: 'must start with 45, the code of Fixture Constabulary' }] });
    const unknownUnit = await as(team.ds.token, 'POST', '/cases', caseBody({ unit: 'no-such-unit', officerId: team.officer.id }));
    expect({ status: unknownUnit.status, details: unknownUnit.body.details }).toEqual({ status: 422, details: [{ field: 'unit', problem: 'unknown unit' }] });
    const cpsTeam = await as(team.ds.token, 'POST', '/cases', caseBody({ unit: `${team.unit}-cps`, officerId: team.officer.id }));
    expect({ status: cpsTeam.status, fields: fields(cpsTeam) }).toEqual({ status: 422, fields: ['unit'] });
    expect(JSON.stringify([wrongForce.body, unknownUnit.body, cpsTeam.body])).not.toMatch(/Synthetic|Testvictim|Testsuspect/);
  });

  it('is for administrators only (403), and every change is in the audit log as a directory write', async () => {
    for (const token of [team.officer.token, team.ds.token, team.dcp.token]) {
      expect((await as(token, 'GET', '/forces')).status).toBe(403);
      expect((await as(token, 'POST', '/units', { id: fresh('unit'), name: 'Sneaky', organisation: 'police', forceId: team.forceId })).status).toBe(403);
      expect((await as(token, 'PUT', `/units/${team.unit}/services`, { cpsUnits: [] })).status).toBe(403);
    }
    expect((await api(system.baseUrl, 'GET', '/units')).status).toBe(401);

    const unit = { id: fresh('audited'), name: 'Audited unit', organisation: 'police', forceId: team.forceId };
    expect((await admin('POST', '/units', unit)).status).toBe(201);
    const entries = await system.dataSource.query(`SELECT action, route, resource_id, outcome FROM audit_log WHERE route LIKE '/api/units%' AND (resource_id = $1 OR outcome = 403) ORDER BY seq`, [unit.id]);
    expect(entries).toEqual(expect.arrayContaining([
      { action: 'people.write', route: '/api/units', resource_id: unit.id, outcome: 201 },
      { action: 'people.write', route: '/api/units/:id/services', resource_id: team.unit, outcome: 403 },
    ]));
  });
});
