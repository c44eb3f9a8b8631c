import { loadPolicy, loadRegionPolicies } from '../../policy/load-policy';
import { PANEL_CRITERIA } from '../../workflows/contracts/policy';
import { policyFile } from '../support/policy-files';

describe('the panels section of the policy', () => {
  it('carries the domain defaults, versioned on their own', () => {
    const { panels, clocks } = loadPolicy();
    expect(panels).toMatchObject({ cadence: 'FREQ=MONTHLY;INTERVAL=3', period: 'P3M', minCases: 8, nfaPercent: 5, maxCases: 12, version: expect.stringMatching(/^panels@[0-9a-f]{12}$/) });
    expect(panels!.strata.map((s) => [s.code, s.closure, s.outcomeCodes ?? null, s.nfa, s.fixed ?? null])).toEqual([
      ['police-nfa', 'police-nfa', [15, 16], true, null],
      ['cps-nfa', 'cps-nfa', [9, 15], true, null],
      ['admin-finalised', 'admin-finalised', null, true, null],
      ['charged', 'charge-authorised', null, false, 1],
    ]);
    expect(panels!.criteria.map((c) => c.code)).toEqual([...PANEL_CRITERIA]);
    expect(panels!.themes.map((t) => t.code)).toEqual(expect.arrayContaining(['suspect-focus', 'language-in-files', 'coercive-control', 'intoxication-consent', 'third-party-material', 'prosecutor-welfare']));
    expect(clocks['panel.learningAction']).toMatchObject({ due: 'agreed' });
    expect(clocks['panel.referralOutcome']).toMatchObject({ due: 'P28D' });
  });

  it('lets a force change the size and keep the strata, criteria and themes, under a new version', () => {
    const region = loadPolicy();
    const policies = loadRegionPolicies(undefined, new Map([['north', policyFile({ name: 'north', extends: 'region', timezone: 'Europe/London', clocks: {}, nonWorkingDays: { source: 'none' }, panels: { minCases: 10 } })]]));
    const north = policies.forForce('north').panels!;
    expect(north).toMatchObject({ minCases: 10, maxCases: 12, strata: region.panels!.strata, themes: region.panels!.themes });
    expect(north.version).not.toBe(region.panels!.version);
  });

  it('names every problem in a panels section', () => {
    const file = policyFile({
      name: 'bad', extends: 'default', timezone: 'Europe/London', clocks: {}, nonWorkingDays: { source: 'none' },
      panels: { minCases: 0, nfaPercent: 140, strata: [{ code: 'x', closure: 'arrested', nfa: false }], criteria: [], colour: 'red' },
    });
    expect(() => loadPolicy(file)).toThrow(/panels\.colour: unknown field[\s\S]*minCases must be a whole number[\s\S]*nfaPercent must be a percentage[\s\S]*strata\[0\]\.code[\s\S]*closure must be one of[\s\S]*fixed[\s\S]*criteria must label/);
  });
});
