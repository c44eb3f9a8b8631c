import { randomUUID } from 'node:crypto';
import { caseBody, createTeam, randomUrn, type Team } from '../support/fixtures';
import { policyFile } from '../support/policy-files';
import { api, type RunningSystem, startSystem } from '../support/system';

/** A force of its own (code 44, which no other test uses), whose policy closes Monday 23 November 2026. */
const CLOSING_FORCE = { id: 'closing-constabulary', code: '44', name: 'Closing Constabulary' };
const forcePolicy = (doc: object) => policyFile({ name: 'closing', extends: 'region', ...doc });

/** Registration over HTTP picks the policy of the case's force; the policy API shows each force's. */
describe('policy per force', () => {
  const otherUnit = `unit-${randomUUID().slice(0, 8)}`;
  // Sexual assaults go to the other force's unit: a rule no force may apply, since a case stays in its force.
  const closing = forcePolicy({
    nonWorkingDays: { extra: ['2026-11-23'] },
    allocation: [
      { id: 'elsewhere', description: 'Sexual assaults go elsewhere', when: { offenceTypes: ['sexual-assault'] }, unit: otherUnit },
      { id: 'registering-unit', description: 'Cases stay with the registering unit', when: {}, unit: null },
    ],
  });
  let system: RunningSystem;
  let other: Team;
  let own: Team;
  const register = (team: Team, over: Record<string, unknown> = {}) => api(system.baseUrl, 'POST', '/cases', {
    token: team.officer.token,
    body: { ...caseBody({ unit: team.unit, officerId: team.officer.id, urn: team === own ? `${CLOSING_FORCE.code}${randomUrn().slice(2)}` : undefined }), ...over },
  });
  const supportReferralDue = (body: { clocks: { name: string; dueAt: string }[] }) => body.clocks.find((c) => c.name === 'victim.supportReferral')?.dueAt;

  beforeAll(async () => {
    system = await startSystem({ forcePolicies: { [CLOSING_FORCE.id]: closing } });
    other = await createTeam(system.baseUrl, otherUnit);
    own = await createTeam(system.baseUrl, undefined, { force: CLOSING_FORCE });
  });
  afterAll(() => system?.stop());

  it("registers each case under its force's policy: a local closure moves that force's working-day clocks only", async () => {
    const [mine, theirs] = [await register(own), await register(other)];
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    const [closingVersion, regionVersion] = [system.policies.forForce(CLOSING_FORCE.id).version, system.policies.region.version];
    expect(closingVersion).toMatch(/^closing@/);
    expect([mine.body.policyVersion, theirs.body.policyVersion]).toEqual([closingVersion, regionVersion]);
    // Reported Friday 20 Nov 2026 10:00, two working days later: Tuesday 24 Nov, or Wednesday over the closure.
    expect(supportReferralDue(mine.body)).toBe('2026-11-25T10:00:00.000Z');
    expect(supportReferralDue(theirs.body)).toBe('2026-11-24T10:00:00.000Z');
    const stored = await system.dataSource.query('SELECT version FROM policy_versions WHERE version = ANY($1)', [[closingVersion, regionVersion]]);
    expect(stored).toHaveLength(2);
  });

  it("refuses allocation rules that would move a case into another force's unit", async () => {
    const moved = await register(own, { offence: { type: 'sexual-assault', penetrative: false, committedFrom: '2026-10-01' } });
    expect({ status: moved.status, fields: moved.body.details?.map((d: { field: string }) => d.field) }).toEqual({ status: 422, fields: ['unit'] });
    expect(moved.body.message).toContain(otherUnit);
  });

  it("shows the region's policy, or a force's with forceId", async () => {
    const get = (query = '') => api(system.baseUrl, 'GET', `/policy${query}`, { token: own.officer.token });
    expect((await get()).body.version).toBe(system.policies.region.version);
    const forced = await get(`?forceId=${CLOSING_FORCE.id}`);
    expect(forced.body).toMatchObject({ version: system.policies.forForce(CLOSING_FORCE.id).version, allocation: [expect.objectContaining({ id: 'elsewhere' }), expect.anything()] });
    expect(forced.body.nonWorkingDays.days).toContain('2026-11-23');
    // A force without a policy of its own runs under the region's.
    expect((await get(`?forceId=${other.forceId}`)).body.version).toBe(system.policies.region.version);
    expect((await get('?forceId=no-such-force')).status).toBe(404);
    expect((await get('?forceId=Not%20A%20Slug')).status).toBe(400);
  });

  it('keeps a running case on the version it recorded when the force changes its policy', async () => {
    const before = await register(own);
    await system.stop();
    system = await startSystem({ forcePolicies: { [CLOSING_FORCE.id]: forcePolicy({ nonWorkingDays: { extra: ['2026-11-23', '2026-11-24'] } }) } });
    const after = await register(own);
    expect(after.body.policyVersion).toBe(system.policies.forForce(CLOSING_FORCE.id).version);
    expect(after.body.policyVersion).not.toBe(before.body.policyVersion);
    expect(supportReferralDue(after.body)).toBe('2026-11-26T10:00:00.000Z');
    const kept = await api(system.baseUrl, 'GET', `/cases/${before.body.id}`, { token: own.officer.token });
    expect(kept.body.policyVersion).toBe(before.body.policyVersion);
    expect(supportReferralDue(kept.body)).toBe('2026-11-25T10:00:00.000Z');
  });
});
