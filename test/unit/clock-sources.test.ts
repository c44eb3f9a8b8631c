import { loadPolicy } from '../../policy/load-policy';

/** domain.md §4: every row that is a clock is in the default policy, each clock with its row and source label. */
describe('the default policy names its sources', () => {
  const policy = loadPolicy();
  const sources = Object.values(policy.clocks).map((c) => c.source ?? '');

  it('gives every clock a source label', () => {
    for (const [name, clock] of Object.entries(policy.clocks)) expect({ name, source: clock.source }).toEqual({ name, source: expect.stringMatching(/\[(STATUTE|OFFICIAL|OFFICIAL-internal|PRACTICE|DEFAULT|INFERENCE)\]/) });
  });

  it('covers every row of §4 that is a clock', () => {
    const rows = new Set(sources.flatMap((s) => {
      const range = /^T(\d+)-T(\d+)/.exec(s);
      if (range) return Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => `T${Number(range[1]) + i}`);
      return /^T\d+/.exec(s)?.[0] ?? [];
    }));
    for (const row of ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T12', 'T13', 'T14', 'T15', 'T16', 'T17', 'T18', 'T20', 'T22', 'T24', 'T27']) expect(rows).toContain(row);
  });

  it('counts detention in hours from the statute: 24, then 36 and 96, reviews at 6 and 9', () => {
    expect(policy.clocks['custody.detention']).toMatchObject({ due: 'PT24H', limits: ['PT36H', 'PT96H'], authorise: ['police:Superintendent', 'court'] });
    expect(policy.clocks['custody.firstReview'].due).toBe('PT6H');
    expect(policy.clocks['custody.furtherReview'].due).toBe('PT9H');
  });
});
