import { CaseFileSummary, type GenerateOptions, generateCases } from '../../scripts/generate-cases';
import { createTeam, type Team } from '../support/fixtures';
import { api, eventually, type RunningSystem, startSystem } from '../support/system';

const CASES = 300;

/**
 * The synthetic history generator (`npm run generate:cases`) against the import: every case it writes is accepted
 * by the import's dry run (each event through the route's validation and the pipeline's rules at its time), the
 * stage it says each case ends at is the stage the import leaves it at, and the same seed writes the same file.
 */
describe('synthetic cases from the generator', () => {
  let system: RunningSystem;
  let team: Team;
  // A fixed end, so that the file (and so the test) is the same every day.
  const options = (seed: number, until = new Date('2026-10-01T00:00:00Z')): GenerateOptions => ({
    cases: CASES, years: 5, seed, until, unit: team.unit, forceCode: team.forceCode,
    people: { officers: [team.officer.email], ds: team.ds.email, di: team.di.email, dcp: team.dcp.email, prosecutor: team.prosecutor.email },
  });
  const post = (body: string, query = '') => api(system.baseUrl, 'POST', `/imports${query}`, { token: team.admin, body, headers: { 'content-type': 'application/x-ndjson' } });

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl);
  }, 120_000);
  afterAll(() => system?.stop());

  it('writes cases the import accepts, every one, caught at many stages and ending where it says', async () => {
    const summary = new CaseFileSummary();
    const cases = [...generateCases(options(42))];
    for (const c of cases) summary.add(c);
    const file = `${cases.map((c) => c.line).join('\n')}\n`;

    const dry = await post(file, '?dryRun=true');
    expect(dry.status).toBe(200);
    if (dry.body.refused) console.log(`refused lines:\n${JSON.stringify(dry.body.refusals, null, 2)}`);
    expect(dry.body).toMatchObject({ lines: CASES, imported: CASES, refused: 0 });

    const stages = summary.stages().map((s) => s.stage);
    expect(stages).toEqual(expect.arrayContaining(['investigating', 'action-plan-open', 'charged', 'nfa-confirmed', 'admin-finalised', 'closed']));
    expect(stages.length).toBeGreaterThanOrEqual(7);
    expect(summary.repeatSuspects).toBeGreaterThan(0);
    expect([...summary.byOutcome.keys()]).toEqual(expect.arrayContaining(['CPS charge (1)', 'CPS 15', 'police NFA 15', 'victim withdrew, NFA 16']));

    // Imported for real, each case sits at the stage the generator counted it at.
    const started = await post(file);
    expect(started.status).toBe(202);
    const report = await eventually(async () => {
      const res = await api(system.baseUrl, 'GET', `/imports/${started.body.id}`, { token: team.admin });
      return res.body.status === 'done' ? res.body : undefined;
    }, 240_000);
    expect(report).toMatchObject({ imported: CASES, refused: 0 });
    const rows = (await system.dataSource.query('SELECT urn, stage FROM cases WHERE unit = $1', [team.unit])) as { urn: string; stage: string }[];
    const imported = new Map(rows.map((r) => [r.urn, r.stage]));
    expect(cases.filter((c) => imported.get(c.urn) !== c.stage).map((c) => `${c.urn}: generated ${c.stage}, imported ${imported.get(c.urn)}`)).toEqual([]);
  }, 420_000);

  it('writes the same file for the same seed and end, and another for another seed', () => {
    const until = new Date('2026-06-01T00:00:00Z');
    const file = (seed: number) => [...generateCases({ ...options(seed, until), cases: 200 })].map((c) => c.line).join('\n');
    const first = file(7);
    expect(file(7)).toBe(first);
    expect(file(8)).not.toBe(first);
    // Nothing after the file's end, nothing before its years.
    const times = first.split('\n').flatMap((line) => (JSON.parse(line) as { events: { at: string }[] }).events.map((e) => Date.parse(e.at)));
    expect(Math.max(...times)).toBeLessThanOrEqual(until.getTime());
    expect(Math.min(...times)).toBeGreaterThan(until.getTime() - 5.1 * 365 * 86_400_000);
  });
});
