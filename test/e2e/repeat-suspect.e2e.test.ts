import { DateTime } from 'luxon';
import type { RepeatSuspectFlagView as Flag } from '../../api/cases/case-flags';
import { caseBody, createTeam, type Team } from '../support/fixtures';
import { importLine, importLines, syntheticSuspect } from '../support/import-lines';
import { api, type RunningSystem, startSystem } from '../support/system';
import { pageOrigin, signedInClient } from '../support/web-session';


/**
 * The flag through a case's life on the real stack: two earlier NFA cases of one suspect brought in by the import, a
 * further case registered for them (their name written differently) is flagged at once; the flag shows on the case,
 * its Early Advice request, the unit's clinic agenda, the supervisors' report and the case page; and a decision on an
 * earlier case (reopened, then decided NFA again) takes it away and brings it back.
 */
describe('the repeat-suspect flag, end to end', () => {
  let system: RunningSystem;
  let team: Team;
  const now = DateTime.now().setZone('Europe/London');
  const suspect = syntheticSuspect();
  let earlier: string[] = [];
  let earlierUrns: string[] = [];
  let further: { id: string; urn: string; suspectId: string };

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await api(system.baseUrl, method, path, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const flagsOf = async (caseId: string): Promise<Flag[]> => (await call(team.officer.token, 'GET', `/cases/${caseId}`)).flags.repeatSuspect;

  beforeAll(async () => {
    system = await startSystem({ env: { DEMO_SIGN_IN: 'true' } });
    team = await createTeam(system.baseUrl);
    const lines = [importLine(team, suspect, 'police-nfa', now.minus({ years: 2 })), importLine(team, suspect, 'police-nfa', now.minus({ years: 1 }))];
    earlier = await importLines(system, team, lines);
    earlierUrns = lines.map((l) => l.urn);
  }, 180_000);
  afterAll(() => system?.stop());

  it('flags a further case as it is registered, naming the two earlier cases, and marks its Early Advice request', async () => {
    const body = caseBody({ unit: team.unit, officerId: team.officer.id, forceCode: team.forceCode });
    const registered = await call(team.officer.token, 'POST', '/cases', {
      ...body, reportedAt: now.minus({ days: 3 }).toUTC().toISO(), suspects: [{ name: `  ${suspect.name.toUpperCase().replace('-', ' ')} `, dateOfBirth: suspect.dateOfBirth }],
    });
    const read = await call(team.officer.token, 'GET', `/cases/${registered.id}`);
    further = { id: registered.id, urn: registered.urn, suspectId: read.suspects[0].id };
    expect(read.flags).toMatchObject({ restricted: false, repeatSuspect: [{ kind: 'repeat-suspect', suspectId: further.suspectId }] });
    const [flag] = read.flags.repeatSuspect as Flag[];
    expect(flag.causedBy).toEqual([
      { caseId: earlier[1], urn: earlierUrns[1], forceId: team.forceId, decidedAt: now.minus({ years: 1 }).toUTC().toISO(), outcomeCode: 15, open: true },
      { caseId: earlier[0], urn: earlierUrns[0], forceId: team.forceId, decidedAt: now.minus({ years: 2 }).toUTC().toISO(), outcomeCode: 15, open: true },
    ]);

    await call(team.officer.token, 'POST', `/cases/${further.id}/early-advice`, {
      summary: 'Synthetic summary: reported days after the event; suspect known to the victim.', linesOfInquiry: ['Phone download'], issues: ['Consent disputed'], questions: ['Is the download needed?'],
    });
    const requested = await call(team.officer.token, 'GET', `/cases/${further.id}`);
    expect(requested.earlyAdvice).toEqual([expect.objectContaining({ status: 'awaiting-endorsement', repeatSuspect: true })]);
    // A case of another suspect is not flagged.
    const plain = await call(team.officer.token, 'POST', '/cases', caseBody({ unit: team.unit, officerId: team.officer.id, forceCode: team.forceCode }));
    expect(await flagsOf(plain.id)).toEqual([]);
  });

  it('puts the case on its unit\'s clinic agenda for the repeat suspect, in figures only', async () => {
    const clinic = await call(team.di.token, 'POST', '/clinics', { unit: team.unit, sittingAt: now.plus({ days: 1 }).toUTC().toISO() });
    const entry = (clinic.agenda as { caseId: string; reasons: { code: string; detail: string }[] }[]).find((e) => e.caseId === further.id);
    const reason = entry?.reasons.find((r) => r.code === 'repeat-suspect');
    expect(reason?.detail).toBe(`a suspect with 2 NFA cases in 5 years, the latest decided ${now.minus({ years: 1 }).toUTC().toISODate()}`);
  });

  it('lists the open flagged case for the force\'s supervisors, with its causes by id and URN, and refuses officers', async () => {
    const report = await call(team.di.token, 'GET', '/reports/repeat-suspects');
    const listed = (report.cases as { caseId: string; urn: string; flags: Flag[] }[]).filter((c) => [further.id, ...earlier].includes(c.caseId));
    expect(listed).toEqual([expect.objectContaining({ caseId: further.id, urn: further.urn, unit: team.unit, flags: [expect.objectContaining({ suspectId: further.suspectId })] })]);
    expect(listed[0].flags[0].causedBy.map((c) => c.urn)).toEqual([earlierUrns[1], earlierUrns[0]]);
    expect(JSON.stringify(report)).not.toContain('Repeatsuspect');
    expect((await api(system.baseUrl, 'GET', '/reports/repeat-suspects', { token: team.officer.token })).status).toBe(403);
  });

  it('shows the flag at the top of the case page, linking the earlier cases and naming no one', async () => {
    const officer = await signedInClient(pageOrigin(system), team.officer.id);
    const page = await officer.get(`/cases/${further.id}`);
    expect(page.status).toBe(200);
    // Above everything else on the page but the heading.
    const start = page.body.indexOf('data-test="repeat-suspect"');
    expect(start).toBeGreaterThan(0);
    const banner = page.body.slice(start, page.body.indexOf('id="what-you-can-do"'));
    expect(banner).toContain('Suspect 1: 2 earlier cases for penetrative offences ended in no further action in the last 5 years');
    for (const [i, id] of earlier.entries()) expect(banner).toContain(`href="/cases/${id}">Case ${earlierUrns[i]}</a>`);
    expect(banner).not.toMatch(/Repeatsuspect|REPEATSUSPECT/);
  });

  it('is recomputed when a decision changes the picture: gone when an earlier case is reopened, back when it is decided NFA again', async () => {
    await call(team.ds.token, 'POST', `/cases/${earlier[0]}/reopen`, { ground: 'new-evidence', reason: 'Synthetic: a new witness came forward.' });
    expect(await flagsOf(further.id)).toEqual([]);
    const report = await call(team.di.token, 'GET', '/reports/repeat-suspects');
    expect((report.cases as { caseId: string }[]).map((c) => c.caseId)).not.toContain(further.id);

    await call(team.ds.token, 'POST', `/cases/${earlier[0]}/police-nfa`, { outcomeCode: 16, rationale: 'Synthetic: the victim no longer supports a prosecution.' });
    const [flag] = await flagsOf(further.id);
    expect(flag.causedBy.map((c) => [c.caseId, c.outcomeCode])).toEqual([[earlier[0], 16], [earlier[1], 15]]);
    expect(Date.now() - Date.parse(flag.causedBy[0].decidedAt)).toBeLessThan(60_000);
  });
});
