import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '../../policy/load-policy';
import { addPolicyDuration } from '../../workflows/clocks/calendar';
import { allocate } from '../../workflows/pipeline/allocation';

function policyFile(doc: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

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
