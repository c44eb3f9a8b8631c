import { join } from 'node:path';
import { forcePolicyFiles, loadEnvironment } from '../../infra/config';
import { loadPolicy, loadRegionPolicies } from '../../policy/load-policy';
import { addPolicyDuration } from '../../workflows/clocks/calendar';
import { allocate } from '../../workflows/pipeline/allocation';
import { policyFile } from '../support/policy-files';

describe('deadline policy', () => {
  it('loads the defaults from the domain reference, versioned by content', () => {
    const policy = loadPolicy();
    expect(policy.clocks['earlyAdvice.advice'].due).toBe('P21D');
    expect(policy.clocks['charging.decision'].due).toBe('P28D');
    expect(policy.version).toMatch(/^default@[0-9a-f]{12}$/);
    expect(loadPolicy().version).toBe(policy.version);
    expect(policy.nonWorkingDays).toEqual(expect.arrayContaining(['2026-12-25', '2026-12-28', '2027-03-29']));
  });

  it('layers an override over the defaults and gives it a new version', () => {
    const fast = loadPolicy(policyFile({ name: 'fast', extends: 'default', timezone: 'Europe/London', nonWorkingDays: { source: 'none' }, clocks: { 'victim.routineUpdate': { due: 'PT10S' } } }));
    expect(fast.clocks['victim.routineUpdate'].due).toBe('PT10S');
    expect(fast.clocks['earlyAdvice.advice'].due).toBe('P21D');
    expect(fast.version).not.toBe(loadPolicy().version);
  });

  it('names every invalid field of a bad policy file', () => {
    const bad = policyFile({ name: 'bad', timezone: 'Mars/Olympus', nonWorkingDays: { source: 'none' }, clocks: { x: { due: '3 weeks', remind: ['soon'], ladder: [{ after: 'P1D', to: 'the boss' }] } } });
    expect(() => loadPolicy(bad)).toThrow(/timezone[\s\S]*clocks\.x\.due[\s\S]*clocks\.x\.remind\[0\][\s\S]*clocks\.x\.ladder\[0\]\.to/);
  });

  it('counts working days over weekends and bank holidays', () => {
    const calendar = { timezone: 'Europe/London', nonWorkingDays: loadPolicy().nonWorkingDays };
    // Thursday 24 Dec 2026 + 2wd skips Christmas (Fri), the weekend and the Boxing Day substitute (Mon 28th).
    expect(addPolicyDuration('2026-12-24T10:00:00Z', '2wd', calendar)).toBe('2026-12-30T10:00:00.000Z');
    // Friday + 1wd is Monday.
    expect(addPolicyDuration('2026-11-27T15:00:00Z', '1wd', calendar)).toBe('2026-11-30T15:00:00.000Z');
    expect(addPolicyDuration('2026-11-27T15:00:00Z', '-P3D', calendar)).toBe('2026-11-24T15:00:00.000Z');
  });
});

describe('allocation rules', () => {
  const rules = loadPolicy(join(__dirname, '..', '..', 'policy', 'demo-policy.json')).allocation;
  const facts = { offenceType: 'sexual-assault', penetrative: false, victimVulnerable: false, committedTo: '2026-10-01', reportedAt: '2026-11-20T10:00:00Z', requestedUnit: 'north-cid' };

  it('takes the first matching rule and says which and why', () => {
    expect(allocate(rules, { ...facts, penetrative: true })).toEqual({ unit: 'demo-rasso', ruleId: 'penetrative', description: expect.stringContaining('specialist RASSO team') });
    expect(allocate(rules, { ...facts, committedTo: '2024-01-01' })).toMatchObject({ unit: 'demo-rasso', ruleId: 'non-recent' });
    expect(allocate(rules, facts)).toMatchObject({ unit: 'north-cid', ruleId: 'registering-unit' });
  });

  it('refuses a rule without a description or with an unknown condition', () => {
    const bad = policyFile({ name: 'bad', extends: 'default', timezone: 'Europe/London', nonWorkingDays: { source: 'none' }, clocks: {}, allocation: [{ id: 'x', when: { moonPhase: 'full' }, unit: 'a-unit' }] });
    expect(() => loadPolicy(bad)).toThrow(/allocation\[0\]\.description[\s\S]*unknown conditions: moonPhase/);
  });
});

describe('policy per force, layered on the regional policy', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const regionFile = policyFile({
    name: 'south-east', extends: 'default', timezone: 'Europe/London',
    clocks: { 'charging.decision': { due: 'P21D', ladder: [{ after: 'P0D', to: 'cps:DCP' }] } },
    allocation: [{ id: 'registering-unit', description: 'Cases stay with the registering unit', when: {}, unit: null }],
    nonWorkingDays: { source: 'england-and-wales', extra: ['2026-12-01'] },
  });
  const surreyFile = policyFile({
    name: 'surrey', extends: 'region',
    clocks: { 'victim.routineUpdate': { due: 'P14D', ladder: [{ after: 'P0D', to: 'police:DS' }, { after: 'P7D', to: 'police:DI' }] } },
    allocation: [{ id: 'penetrative', description: 'Penetrative offences go to the SOIT', when: { penetrative: true }, unit: 'surrey-soit' }],
    nonWorkingDays: { extra: ['2026-12-02'] },
  });
  const sussexFile = policyFile({ name: 'sussex', extends: 'region', nonWorkingDays: { extra: ['2026-12-03'] } });
  const load = () => loadRegionPolicies(regionFile, new Map([['surrey', surreyFile], ['sussex', sussexFile]]), now);

  it("gives each force the region's rules with its own clocks, allocation and local closures", () => {
    const policies = load();
    const [region, surrey, sussex] = [policies.region, policies.forForce('surrey'), policies.forForce('sussex')];
    expect(surrey.clocks['victim.routineUpdate'].due).toBe('P14D');
    expect(sussex.clocks['victim.routineUpdate']).toEqual(region.clocks['victim.routineUpdate']);
    // What the region overrides reaches every force; what it leaves to the defaults too.
    expect([surrey, sussex].map((p) => p.clocks['charging.decision'].due)).toEqual(['P21D', 'P21D']);
    expect(surrey.clocks['earlyAdvice.advice'].due).toBe('P21D');
    expect(surrey.allocation.map((r) => r.id)).toEqual(['penetrative']);
    expect(sussex.allocation).toEqual(region.allocation);
    // The region's closure is everyone's; a force's own is its alone.
    expect(surrey.nonWorkingDays).toEqual(expect.arrayContaining(['2026-12-01', '2026-12-02', '2026-12-25']));
    expect(surrey.nonWorkingDays).not.toContain('2026-12-03');
    expect(sussex.nonWorkingDays).toEqual(expect.arrayContaining(['2026-12-01', '2026-12-03']));
    expect(sussex.nonWorkingDays).not.toContain('2026-12-02');
    expect(region.nonWorkingDays).not.toEqual(expect.arrayContaining(['2026-12-02']));
  });

  it('versions each force by its own content, the same on every load', () => {
    const policies = load();
    const versions = policies.all().map((p) => p.version);
    expect(versions).toEqual([expect.stringMatching(/^south-east@[0-9a-f]{12}$/), expect.stringMatching(/^surrey@/), expect.stringMatching(/^sussex@/)]);
    expect(new Set(versions).size).toBe(3);
    expect(load().all().map((p) => p.version)).toEqual(versions);
    expect(loadPolicy(regionFile, now).version).toBe(policies.region.version);
  });

  it("runs a force without a file of its own, or one the region does not know, under the region's policy", () => {
    const policies = load();
    expect(policies.forForce('kent')).toBe(policies.region);
    expect(policies.forForce('constructor')).toBe(policies.region);
    expect(policies.forceIds()).toEqual(['surrey', 'sussex']);
  });

  it("counts a force's working days over its own closures only", () => {
    const policies = load();
    // Monday 30 Nov 2026 + 2wd: the regional closure (Tue 1 Dec) is skipped by all, Wed 2 Dec by Surrey alone.
    expect(addPolicyDuration('2026-11-30T10:00:00Z', '2wd', policies.region)).toBe('2026-12-03T10:00:00.000Z');
    expect(addPolicyDuration('2026-11-30T10:00:00Z', '2wd', policies.forForce('surrey'))).toBe('2026-12-04T10:00:00.000Z');
    expect(addPolicyDuration('2026-11-30T10:00:00Z', '2wd', policies.forForce('kent'))).toBe('2026-12-03T10:00:00.000Z');
  });

  it('names the force, the file and the field of every problem, across all force files at once', () => {
    const kentFile = policyFile({ name: 'kent', extends: 'default', nonWorkingDays: { extra: ['2026-02-30'] }, clock: {} });
    const essexFile = policyFile({ extends: 'region', clocks: { 'victim.routineUpdate': { due: 'P14D', ladder: [{ after: 'soon', to: 'the chief' }] } } });
    let message = '';
    try {
      loadRegionPolicies(regionFile, new Map([['kent', kentFile], ['surrey', surreyFile], ['essex', essexFile]]), now);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`force kent: policy ${kentFile} is invalid`);
    expect(message).toMatch(/clock: unknown field[\s\S]*extends: a force's policy extends "region", not "default"[\s\S]*nonWorkingDays\.extra\[0\]: "2026-02-30" is not a date/);
    expect(message).toContain(`force essex: policy ${essexFile} is invalid`);
    expect(message).toMatch(/name is required[\s\S]*clocks\.victim\.routineUpdate\.ladder\[0\]\.after[\s\S]*clocks\.victim\.routineUpdate\.ladder\[0\]\.to/);
    expect(message).not.toContain('surrey');
  });

  it('refuses a regional policy that extends "region"', () => {
    expect(() => loadPolicy(policyFile({ name: 'x', extends: 'region' }))).toThrow(/extends: the regional policy extends "default" or nothing/);
  });

  it('reads FORCE_POLICIES as force id → file, refusing a force named twice', () => {
    const base = { DATABASE_URL: 'postgres://x/y', SMTP_URL: 'smtp://x', PAYLOAD_KEYS: 'k:AAAA', JWT_SECRET: 's' };
    expect([...forcePolicyFiles(loadEnvironment({ ...base, FORCE_POLICIES: 'surrey:policies/surrey.json,sussex:/etc/p/sussex.json' }))])
      .toEqual([['surrey', 'policies/surrey.json'], ['sussex', '/etc/p/sussex.json']]);
    expect(forcePolicyFiles(loadEnvironment(base)).size).toBe(0);
    expect(() => loadEnvironment({ ...base, FORCE_POLICIES: 'surrey:a.json,surrey:b.json' })).toThrow(/FORCE_POLICIES names force surrey more than once/);
    expect(() => loadEnvironment({ ...base, FORCE_POLICIES: 'Surrey Police=a.json' })).toThrow(/FORCE_POLICIES must be forceId:file pairs/);
  });
});
