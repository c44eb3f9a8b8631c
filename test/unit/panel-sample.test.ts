import { randomUUID } from 'node:crypto';
import { allocate, drawSample, labelCases, nfaSampleSize } from '../../activities/panels/sample';
import { loadPolicy } from '../../policy/load-policy';

const rules = loadPolicy().panels!;
const ids = (n: number) => Array.from({ length: n }, () => randomUUID());

describe('a scrutiny panel\'s sample', () => {
  const populations = [
    { code: 'police-nfa', caseIds: ids(120) },
    { code: 'cps-nfa', caseIds: ids(60) },
    { code: 'admin-finalised', caseIds: ids(20) },
    { code: 'charged', caseIds: ids(40) },
  ];

  it('draws the same cases from the same seed, whatever order the population arrives in', () => {
    const first = drawSample(rules, 'seed-2026-q4', populations);
    const shuffled = populations.map((p) => ({ ...p, caseIds: [...p.caseIds].reverse() }));
    expect(drawSample(rules, 'seed-2026-q4', shuffled)).toEqual(first);
    expect(labelCases('seed-2026-q4', new Date('2027-01-01T00:00:00Z'), first)).toEqual(labelCases('seed-2026-q4', new Date('2027-01-01T00:00:00Z'), drawSample(rules, 'seed-2026-q4', shuffled)));
    expect(drawSample(rules, 'another-seed', populations).flatMap((d) => d.caseIds)).not.toEqual(first.flatMap((d) => d.caseIds));
  });

  it('sizes the NFA sample by count or percentage, whichever is larger, within the cap, plus the contrast case', () => {
    expect(rules).toMatchObject({ minCases: 8, nfaPercent: 5, maxCases: 12 });
    expect(nfaSampleSize(rules, 40)).toBe(8); // 5% of 40 is 2: the count wins
    expect(nfaSampleSize(rules, 200)).toBe(10); // 5% of 200 is 10
    expect(nfaSampleSize(rules, 1000)).toBe(12); // capped
    expect(nfaSampleSize(rules, 3)).toBe(3); // never more than there are
    expect(nfaSampleSize(rules, 200, 4)).toBe(4); // the convenor's size
    const draw = drawSample(rules, 's', populations);
    expect(draw.map(({ code, population, drawn, empty }) => ({ code, population, drawn, empty }))).toEqual([
      { code: 'police-nfa', population: 120, drawn: 6, empty: false },
      { code: 'cps-nfa', population: 60, drawn: 3, empty: false },
      { code: 'admin-finalised', population: 20, drawn: 1, empty: false },
      { code: 'charged', population: 40, drawn: 1, empty: false },
    ]);
    for (const d of draw) for (const id of d.caseIds) expect(populations.find((p) => p.code === d.code)!.caseIds).toContain(id);
  });

  it('reports an empty stratum instead of failing, and gives every non-empty NFA stratum a case', () => {
    const draw = drawSample(rules, 's', [{ code: 'police-nfa', caseIds: ids(30) }, { code: 'admin-finalised', caseIds: ids(1) }]);
    expect(draw.map(({ code, population, drawn, empty }) => ({ code, population, drawn, empty }))).toEqual([
      { code: 'police-nfa', population: 30, drawn: 7, empty: false },
      { code: 'cps-nfa', population: 0, drawn: 0, empty: true },
      { code: 'admin-finalised', population: 1, drawn: 1, empty: false },
      { code: 'charged', population: 0, drawn: 0, empty: true },
    ]);
    expect(allocate(rules, new Map())).toEqual(new Map([['police-nfa', 0], ['cps-nfa', 0], ['admin-finalised', 0], ['charged', 0]]));
  });

  it('labels the cases by the period\'s quarter in an order that hides the stratum', () => {
    const labels = labelCases('s', new Date('2027-01-01T00:00:00Z'), drawSample(rules, 's', populations));
    expect(labels.map((l) => l.label)).toEqual(Array.from({ length: 11 }, (_, i) => `P-2026Q4-${String(i + 1).padStart(2, '0')}`));
    expect(labels.map((l) => l.stratum)).not.toEqual([...labels.map((l) => l.stratum)].sort());
  });
});
