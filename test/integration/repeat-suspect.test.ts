import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { RepeatSuspectFlagView as Flag } from '../../api/cases/case-flags';
import { recomputeRepeatSuspectFlags } from '../../activities/flags/repeat-suspect';
import { createTeam, type Team } from '../support/fixtures';
import { type Ending, importLine, importLines, type SuspectRecord, syntheticSuspect } from '../support/import-lines';
import { api, type RunningSystem, startSystem } from '../support/system';


/**
 * The repeat-suspect rule at its edges, on cases brought in through the import (each decision at its original time):
 * the five-year window of the NFA decisions and the twelve-month window of the further report, each exactly at its
 * boundary and a day beyond it; the earlier cases that do not count (non-penetrative, charged, reopened after NFA); and
 * who is the same person (names differing only in case, accents, spacing, hyphens and apostrophes; another date of
 * birth; national ids where both records have one).
 */
describe('the repeat-suspect rule', () => {
  let system: RunningSystem;
  let team: Team;
  const now = DateTime.now().setZone('Europe/London');
  const oneYear = now.minus({ years: 1 });
  const twoYears = now.minus({ years: 2 });
  const recently = now.minus({ days: 10 });
  /** Case ids by name, and each further case's suspect record. */
  const ids: Record<string, string> = {};
  const tag = randomUUID().slice(0, 8);
  const spelled = { accented: `Éamonn O'Néill-Ryan ${tag}`, shouted: `EAMONN  ONEILL RYAN ${tag.toUpperCase()}`, curly: `eamonn o’neill ryan${tag}` };

  const flagsOf = async (name: string): Promise<Flag[]> => {
    const res = await api(system.baseUrl, 'GET', `/cases/${ids[name]}`, { token: team.officer.token });
    expect(res.status).toBe(200);
    return res.body.flags.repeatSuspect;
  };

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl);
    const line = (name: string, suspect: SuspectRecord, ending: Ending, at: DateTime, opts: { penetrative?: boolean } = {}) => ({ name, line: importLine(team, suspect, ending, at, opts) });
    const atFiveYears = syntheticSuspect();
    const pastFiveYears = syntheticSuspect();
    const twelveMonths = syntheticSuspect();
    const nonPenetrative = syntheticSuspect();
    const charged = syntheticSuspect();
    const reopened = syntheticSuspect();
    const otherBirthday = syntheticSuspect();
    const byId = syntheticSuspect({ nationalId: `SYN/${tag}` });
    const file = [
      // The further case first: the NFA cases imported after it flag it when they are written.
      line('atFiveYears', atFiveYears, 'open', recently),
      line('atFiveYears.nfa1', atFiveYears, 'police-nfa', now.minus({ years: 5 })),
      line('atFiveYears.nfa2', atFiveYears, 'police-nfa', oneYear),
      line('pastFiveYears.nfa1', pastFiveYears, 'police-nfa', now.minus({ years: 5, days: 1 })),
      line('pastFiveYears.nfa2', pastFiveYears, 'police-nfa', oneYear),
      line('pastFiveYears', pastFiveYears, 'open', recently),
      line('twelveMonths.nfa1', twelveMonths, 'police-nfa', twoYears),
      line('twelveMonths.nfa2', twelveMonths, 'police-nfa', oneYear),
      line('atTwelveMonths', twelveMonths, 'open', now.minus({ months: 12 })),
      line('pastTwelveMonths', twelveMonths, 'open', now.minus({ months: 12, days: 1 })),
      line('nonPenetrative.nfa1', nonPenetrative, 'police-nfa', twoYears, { penetrative: false }),
      line('nonPenetrative.nfa2', nonPenetrative, 'police-nfa', oneYear),
      line('nonPenetrative', nonPenetrative, 'open', recently),
      line('charged.charged', charged, 'charged', twoYears),
      line('charged.nfa', charged, 'police-nfa', oneYear),
      line('charged', charged, 'open', recently),
      line('reopened.reopened', reopened, 'reopened', twoYears),
      line('reopened.nfa', reopened, 'police-nfa', oneYear),
      line('reopened', reopened, 'open', recently),
      // One person written three ways, without national ids.
      line('names.nfa1', syntheticSuspect({ name: spelled.accented }), 'police-nfa', twoYears),
      line('names.nfa2', syntheticSuspect({ name: spelled.shouted }), 'police-nfa', oneYear),
      line('names', syntheticSuspect({ name: spelled.curly }), 'open', recently),
      line('otherBirthday.nfa1', otherBirthday, 'police-nfa', twoYears),
      line('otherBirthday.nfa2', otherBirthday, 'police-nfa', oneYear),
      line('otherBirthday', { ...otherBirthday, dateOfBirth: '1979-04-13' }, 'open', recently),
      // Both records with a national id: the ids decide, whatever the names say.
      line('nationalId.nfa1', { ...byId, name: `Someone Else ${tag}` }, 'police-nfa', twoYears),
      line('nationalId.nfa2', { ...byId, nationalId: `syn/ ${tag}`.toLowerCase() }, 'police-nfa', oneYear),
      line('nationalId', byId, 'open', recently),
      line('otherNationalId', { ...byId, nationalId: `SYN/other-${tag}` }, 'open', recently),
    ];
    const caseIds = await importLines(system, team, file.map((f) => f.line));
    file.forEach((f, i) => { ids[f.name] = caseIds[i]; });
  }, 240_000);
  afterAll(() => system?.stop());

  it('counts an NFA decided exactly five years ago, and names the cases that caused the flag by id and URN only', async () => {
    const [flag, ...others] = await flagsOf('atFiveYears');
    expect(others).toEqual([]);
    const [suspect] = await system.dataSource.query(`SELECT id FROM case_parties WHERE case_id = $1 AND kind = 'suspect'`, [ids.atFiveYears]);
    expect(flag).toMatchObject({ kind: 'repeat-suspect', suspectId: suspect.id });
    const urns = Object.fromEntries((await system.dataSource.query('SELECT id, urn FROM cases WHERE id = ANY($1)', [[ids['atFiveYears.nfa1'], ids['atFiveYears.nfa2']]])).map((r: { id: string; urn: string }) => [r.id, r.urn]));
    // The latest decision first.
    expect(flag.causedBy).toEqual([
      { caseId: ids['atFiveYears.nfa2'], urn: urns[ids['atFiveYears.nfa2']], forceId: team.forceId, decidedAt: oneYear.toUTC().toISO(), outcomeCode: 15, open: true },
      { caseId: ids['atFiveYears.nfa1'], urn: urns[ids['atFiveYears.nfa1']], forceId: team.forceId, decidedAt: now.minus({ years: 5 }).toUTC().toISO(), outcomeCode: 15, open: true },
    ]);
    expect(JSON.stringify(flag)).not.toMatch(/Repeatsuspect|1979-04-12/);
  });

  it('does not count an NFA decided five years and one day ago', async () => {
    expect(await flagsOf('pastFiveYears')).toEqual([]);
  });

  it('flags a further case reported exactly twelve months ago, not one reported twelve months and a day ago', async () => {
    expect((await flagsOf('atTwelveMonths')).map((f) => f.causedBy.map((c) => c.caseId).sort())).toEqual([[ids['twelveMonths.nfa1'], ids['twelveMonths.nfa2']].sort()]);
    expect(await flagsOf('pastTwelveMonths')).toEqual([]);
  });

  it('does not count a non-penetrative earlier offence, a charged earlier case, or an NFA since reopened', async () => {
    expect(await flagsOf('nonPenetrative')).toEqual([]);
    expect(await flagsOf('charged')).toEqual([]);
    expect(await flagsOf('reopened')).toEqual([]);
  });

  it('knows one person by names differing only in case, accents, spacing, hyphens and apostrophes, but not with another date of birth', async () => {
    const keys = (await system.dataSource.query(
      `SELECT name_key FROM case_parties WHERE case_id = ANY($1) AND kind = 'suspect'`, [[ids['names.nfa1'], ids['names.nfa2'], ids.names]],
    )).map((r: { name_key: string }) => r.name_key);
    expect(keys).toEqual([`eamonnoneillryan${tag}`, `eamonnoneillryan${tag}`, `eamonnoneillryan${tag}`]);
    expect((await flagsOf('names'))[0].causedBy.map((c) => c.caseId).sort()).toEqual([ids['names.nfa1'], ids['names.nfa2']].sort());
    expect(await flagsOf('otherBirthday')).toEqual([]);
  });

  it('goes by the national id where both records have one: the same id whatever the name, another id despite the same name', async () => {
    expect((await flagsOf('nationalId'))[0].causedBy.map((c) => c.caseId).sort()).toEqual([ids['nationalId.nfa1'], ids['nationalId.nfa2']].sort());
    expect(await flagsOf('otherNationalId')).toEqual([]);
  });

  it('finds the same person through the identity indexes, not by reading the tables', async () => {
    const runner = system.dataSource.createQueryRunner();
    const plans: string[] = [];
    await runner.startTransaction();
    try {
      // Twenty thousand more suspects (half with a national id), counted by ANALYZE, so the planner weighs a real
      // table rather than a handful of rows; all rolled back.
      await runner.query(
        `INSERT INTO case_parties (id, case_id, kind, name, date_of_birth, national_id)
         SELECT gen_random_uuid(), gen_random_uuid(), 'suspect', 'Synthetic Bulk ' || n, date '1960-01-01' + n % 10000, CASE WHEN n % 2 = 0 THEN 'BULK' || n END
         FROM generate_series(1, 20000) AS n`,
      );
      await runner.query('ANALYZE case_parties');
      await recomputeRepeatSuspectFlags({
        async query(sql: string, params?: unknown[]) {
          const plan = (await runner.query(`EXPLAIN ${sql}`, params)) as { 'QUERY PLAN': string }[];
          plans.push(plan.map((p) => p['QUERY PLAN']).join('\n'));
          return sql.trimStart().startsWith('SELECT $1::uuid') ? [{ case_id: ids.nationalId }] : [];
        },
      }, ids.nationalId);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    const plan = plans.join('\n');
    expect(plan).toMatch(/Index Scan using case_parties_suspect_national_id_key_idx on case_parties \w+\s+\(cost[^)]*\)\s+Index Cond: \(national_id_key = \w+\.national_id_key\)/);
    expect(plan).toMatch(/Index Scan using case_parties_suspect_name_key_idx on case_parties \w+\s+\(cost[^)]*\)\s+Index Cond: \(\(name_key = \w+\.name_key\) AND \(date_of_birth = \w+\.date_of_birth\)\)/);
    expect(plan).toContain('case_events_nfa_idx');
    expect(plan).not.toMatch(/Seq Scan on case_parties/);
  });
});
