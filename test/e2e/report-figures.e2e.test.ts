import { randomUUID } from 'node:crypto';
import { parseReportCsv } from '../../api/reports/report-csv';
import type { PeriodFigures, Report } from '../../api/reports/report';
import { caseBody, createTeam, randomUrn, type Team } from '../support/fixtures';
import { importLines } from '../support/import-lines';
import { api, type RunningSystem, startSystem } from '../support/system';
import { tokenFor } from '../support/tokens';

/**
 * The monthly pack's figures over a small data set brought in through the import (POST /api/imports), every number
 * worked out by hand below. A force of its own (code 53, no other test's) with two units, A and B, served by a CPS area
 * of its own, so the force's and the area's figures are these cases alone.
 *
 * The month under test is October 2025, which holds the end of British Summer Time (01:00 UTC on Sunday 26 October):
 * in London it runs from 2025-09-30T23:00Z (00:00 BST on 1 October) to 2025-11-01T00:00Z (00:00 GMT on 1 November),
 * 31 days and an hour. All times below are UTC.
 *
 *  #  unit  reported (UTC)           what happens
 *  1  A     2025-09-10 09:00 (Sep)   a DS's own Early Advice request 10 Oct 09:00 (10:00 BST); accepted 13 Oct; advice
 *                                    31 Oct 09:00 (09:00 GMT): exactly 21 days (504 hours) later across the clock change
 *  2  A     2025-10-01 10:00         requested by the officer 2 Oct 09:00, endorsed 2 Oct 12:00, rejected 3 Oct
 *                                    (no-mg3, missing-mg11s), appealed 7 Oct, accepted 8 Oct, advice 30 Oct 21:00: 28.5 days
 *  3  A     2025-09-30 23:30         (00:30 BST on 1 October: an October case) two suspects; EA not sought; file 14 Oct,
 *                                    approved 15 Oct, accepted 16 Oct, charged 27 Oct 09:00
 *  4  A     2025-10-02 09:00         police NFA (outcome 15) 9 Oct, the victim told late (13 Oct), reopened 20 Oct; the
 *                                    suspect bailed 21 Oct
 *  5  A     2025-09-15 09:00 (Sep)   EA requested by a DS 20 Sep, accepted 22 Sep, advice 1 Oct 09:00 (11.0 days) with a
 *                                    plan of seven actions (below)
 *  6  B     2025-09-05 09:00 (Sep)   file approved 26 Sep, accepted 29 Sep; returned by the CPS after review 2 Oct; second
 *                                    file: a further action plan 10 Oct (its action done 19 Oct, plan reviewed 20 Oct);
 *                                    third file: CPS NFA (outcome 15, pre-NFA meeting held) 29 Oct
 *  7  B     2025-10-15 09:00         a DS's own EA request 16 Oct, accepted 17 Oct, advice 20 Oct (4.0 days) with a plan of
 *                                    one action due 25 Oct; administratively finalised 28 Oct (which stops the action)
 *  9  A     2024-10-15 09:00         the year before: police NFA (outcome 14) 20 Oct 2024, closed
 * 10  A     2025-10-31 23:30         (23:30 GMT on 31 October: still October) an EA request at 2025-11-01T00:00Z exactly,
 *                                    which is November's
 *
 * Case 5's actions, at the end of October (2025-11-01T00:00Z), in days overdue = hours ÷ 24:
 *   a1 police due 25 Oct 00:00 ......... 7.0: exactly 7 days overdue, band 0-7 ("more than 0, up to 7")
 *   a2 cps    due 31 Oct 12:00 ......... 0.5, band 0-7, owned by the CPS
 *   a3 police due 3 Oct 00:00 .......... 29.0, over-28; re-dated only on 5 November (to 1 December 00:00), so its current
 *                                        due date says nothing of October: the figure comes from the timeline
 *   a4 police due 20 Oct, done 15 Oct .. not open
 *   a5 police due 28 Oct 00:00 ......... 4.0, band 0-7; completed 3 November, after the month
 *   a6 police due 18 Oct 00:00 ......... 14.0, band 8-14 (its top)
 *   a7 police due 4 Oct 00:00 .......... 28.0, band 15-28 (its top)
 * Unit B has none: case 6's action was done, case 7's stopped by the finalisation.
 * At the end of November (2025-12-01T00:00Z): a1 37.0, a2 30.5, a6 44.0, a7 58.0, all over-28; a3 is due at that very
 * instant (0 days: not overdue); a5 is done.
 */
const REPORT_FORCE = { id: 'report-constabulary', code: '53', name: 'Report Constabulary' };
const REPORT_AREA = { id: 'report-cps-area', name: 'Report CPS area' };

const CHECKLIST = { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true };
const EA = { summary: 'Synthetic summary: reported days after the event; suspect known to the victim.', linesOfInquiry: ['Phone download'], issues: ['Consent disputed'], questions: ['Is the download needed?'] };
const MG3 = 'Synthetic MG3: the account, the interview and the CCTV.';
const suspect = (n: number) => ({ name: `Synthetic Reportsuspect ${n}-${randomUUID().slice(0, 6)}`, dateOfBirth: '1980-01-0' + n });

/** Zero figures: what a period with nothing in it answers. */
function empty(): PeriodFigures {
  return {
    newCases: 0,
    earlyAdvice: { requested: 0, accepted: 0, rejected: 0, rejectionReasons: {}, turnaround: { count: 0, median: null, within21DaysPct: null } },
    decisions: { charge: 0, nfa: 0, 'action-plan': 0, returned: 0, adminFinalised: 0 },
    chargeRate: null,
    actionsOverdue: { total: 0, byBand: { '0-7': 0, '8-14': 0, '15-28': 0, 'over-28': 0 }, byOwner: { police: 0, cps: 0 } },
    reportToCharge: { count: 0, median: null },
    nfaByOutcome: {},
    more: expect.any(Object) as never,
  };
}

/** The named figures (everything but `more`), for comparing. */
const named = ({ more: _more, ...rest }: PeriodFigures) => rest;

describe('the monthly pack\'s figures, from cases brought in through the import', () => {
  let system: RunningSystem;
  let a: Team;
  let b: Team;
  let analyst: string;
  const call = async (token: string, path: string, headers: Record<string, string> = {}) => api(system.baseUrl, 'GET', path, { token, headers });
  const monthly = async (month: string, token = a.di.token, unit?: string): Promise<Report> => {
    const res = await call(token, `/reports/monthly?month=${month}${unit ? `&unit=${unit}` : ''}`);
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    system = await startSystem();
    const tag = randomUUID().slice(0, 6);
    a = await createTeam(system.baseUrl, `unit-report-a-${tag}`, { force: REPORT_FORCE, area: REPORT_AREA });
    b = await createTeam(system.baseUrl, `unit-report-b-${tag}`, { force: REPORT_FORCE, area: REPORT_AREA });
    const person = await api(system.baseUrl, 'POST', '/people', {
      token: a.admin, body: { name: 'Report Analyst', email: `report.analyst.${tag}@example.test`, roles: ['analyst'], organisation: 'police', rank: 'Analyst', unit: a.unit },
    });
    analyst = await tokenFor({ sub: person.body.id, roles: ['analyst'], unit: a.unit });

    const line = (team: Team, reportedAt: string, events: object[], suspects = [suspect(1)]) => {
      const body = caseBody({ unit: team.unit, officerId: team.officer.email, urn: randomUrn(team.forceCode) });
      const day = reportedAt.slice(0, 10);
      return { ...body, reportedAt, offence: { ...body.offence, committedFrom: day, committedTo: day }, suspects, events };
    };
    const contact = (team: Team, at: string, kind: string) => ({ type: 'victim.contacted', at, by: team.officer.email, kind, note: 'Synthetic contact.' });
    const submitted = (team: Team, ref: string, at: string, category = 'green') => ({ type: 'file.submitted', ref, at, by: team.officer.email, test: 'full-code', category, checklist: CHECKLIST, report: MG3 });
    const approved = (team: Team, ref: string, at: string) => ({ type: 'file.approved', submission: ref, at, by: team.ds.email });
    const accepted = (team: Team, ref: string, at: string) => ({ type: 'file.triaged', submission: ref, at, by: team.dcp.email, decision: 'accept', prosecutorId: team.prosecutor.email });
    const action = (ref: string, owner: string, dueAt: string) => ({ ref, description: `Synthetic action ${ref}`, owner, dueAt, decisionCritical: false });

    const lines = [
      // 1
      line(a, '2025-09-10T09:00:00Z', [
        contact(a, '2025-09-11T09:00:00Z', 'support-referral'),
        { type: 'early-advice.requested', ref: 'ea', at: '2025-10-10T09:00:00Z', by: a.ds.email, ...EA },
        { type: 'early-advice.triaged', request: 'ea', at: '2025-10-13T09:00:00Z', by: a.dcp.email, decision: 'accept', prosecutorId: a.prosecutor.email },
        { type: 'early-advice.given', request: 'ea', at: '2025-10-31T09:00:00Z', by: a.prosecutor.email, advice: 'Synthetic advice: no action plan needed yet.' },
      ]),
      // 2
      line(a, '2025-10-01T10:00:00Z', [
        { type: 'early-advice.requested', ref: 'ea', at: '2025-10-02T09:00:00Z', by: a.officer.email, ...EA },
        { type: 'early-advice.endorsed', request: 'ea', at: '2025-10-02T12:00:00Z', by: a.ds.email },
        { type: 'early-advice.triaged', request: 'ea', at: '2025-10-03T09:00:00Z', by: a.dcp.email, decision: 'reject', reasons: ['no-mg3', 'missing-mg11s'] },
        { type: 'early-advice.appealed', request: 'ea', at: '2025-10-07T09:00:00Z', by: a.di.email, reason: 'Synthetic: the MG3 was attached.' },
        contact(a, '2025-10-06T10:00:00Z', 'support-referral'),
        { type: 'early-advice.triaged', request: 'ea', at: '2025-10-08T09:00:00Z', by: a.dcp.email, decision: 'accept', prosecutorId: a.prosecutor.email },
        { type: 'early-advice.given', request: 'ea', at: '2025-10-30T21:00:00Z', by: a.prosecutor.email, advice: 'Synthetic advice: proceed to a full file.' },
      ].sort((x, y) => x.at.localeCompare(y.at))),
      // 3: two suspects
      line(a, '2025-09-30T23:30:00Z', [
        contact(a, '2025-10-01T08:00:00Z', 'support-referral'),
        { type: 'early-advice.not-sought', at: '2025-10-01T09:00:00Z', by: a.ds.email, reason: 'Synthetic: admissions in interview.' },
        submitted(a, 'f1', '2025-10-14T09:00:00Z'),
        approved(a, 'f1', '2025-10-15T09:00:00Z'),
        accepted(a, 'f1', '2025-10-16T09:00:00Z'),
        { type: 'decision.made', submission: 'f1', at: '2025-10-27T09:00:00Z', by: a.prosecutor.email, decision: 'charge', grounds: 'Synthetic: the Full Code Test is met.' },
        contact(a, '2025-10-27T15:00:00Z', 'key-event-update'),
      ], [suspect(1), suspect(2)]),
      // 4: NFA, reopened, bailed
      line(a, '2025-10-02T09:00:00Z', [
        contact(a, '2025-10-03T09:00:00Z', 'support-referral'),
        { type: 'police-nfa.recorded', at: '2025-10-09T09:00:00Z', by: a.ds.email, outcomeCode: 15, rationale: 'Synthetic: the evidence does not corroborate the account.' },
        contact(a, '2025-10-13T09:00:00Z', 'nfa-notification'),
        { type: 'case.reopened', at: '2025-10-20T09:00:00Z', by: a.ds.email, ground: 'new-evidence', reason: 'Synthetic: a new witness came forward.' },
        { type: 'bail.started', suspect: 1, at: '2025-10-21T09:00:00Z', by: a.officer.email, startedAt: '2025-10-21T09:00:00Z', authorisedBy: a.ds.email },
      ]),
      // 5: the actions
      line(a, '2025-09-15T09:00:00Z', [
        contact(a, '2025-09-16T09:00:00Z', 'support-referral'),
        { type: 'early-advice.requested', ref: 'ea', at: '2025-09-20T09:00:00Z', by: a.ds.email, ...EA },
        { type: 'early-advice.triaged', request: 'ea', at: '2025-09-22T09:00:00Z', by: a.dcp.email, decision: 'accept', prosecutorId: a.prosecutor.email },
        { type: 'early-advice.given', request: 'ea', ref: 'plan', at: '2025-10-01T09:00:00Z', by: a.prosecutor.email, advice: 'Synthetic advice: seven lines of inquiry first.',
          actionPlan: { actions: [
            action('a1', 'police', '2025-10-25T00:00:00Z'), action('a2', 'cps', '2025-10-31T12:00:00Z'), action('a3', 'police', '2025-10-03T00:00:00Z'),
            action('a4', 'police', '2025-10-20T00:00:00Z'), action('a5', 'police', '2025-10-28T00:00:00Z'), action('a6', 'police', '2025-10-18T00:00:00Z'),
            action('a7', 'police', '2025-10-04T00:00:00Z'),
          ] } },
        { type: 'action.completed', action: 'a4', at: '2025-10-15T09:00:00Z', by: a.officer.email, note: 'Synthetic: done.' },
        { type: 'action.completed', action: 'a5', at: '2025-11-03T09:00:00Z', by: a.officer.email, note: 'Synthetic: done late.' },
        { type: 'action.re-dated', action: 'a3', at: '2025-11-05T09:00:00Z', by: a.officer.email, dueAt: '2025-12-01T00:00:00Z', reason: 'Synthetic: the lab is slow.', approverId: a.ds.email },
      ]),
      // 6 (unit B): returned, further action plan, CPS NFA
      line(b, '2025-09-05T09:00:00Z', [
        contact(b, '2025-09-05T12:00:00Z', 'support-referral'),
        submitted(b, 'f1', '2025-09-25T09:00:00Z'), approved(b, 'f1', '2025-09-26T09:00:00Z'), accepted(b, 'f1', '2025-09-29T09:00:00Z'),
        { type: 'decision.made', submission: 'f1', at: '2025-10-02T09:00:00Z', by: b.prosecutor.email, decision: 'returned', reasons: ['key-evidence-missing'], grounds: 'Synthetic: the key witness statement is missing.' },
        submitted(b, 'f2', '2025-10-06T09:00:00Z', 'green-priority'), approved(b, 'f2', '2025-10-07T09:00:00Z'), accepted(b, 'f2', '2025-10-08T09:00:00Z'),
        { type: 'decision.made', submission: 'f2', ref: 'plan', at: '2025-10-10T09:00:00Z', by: b.prosecutor.email, decision: 'action-plan', grounds: 'Synthetic: one more line of inquiry.',
          actionPlan: { actions: [action('b1', 'police', '2025-10-20T00:00:00Z')] } },
        { type: 'action.completed', action: 'b1', at: '2025-10-19T09:00:00Z', by: b.officer.email, note: 'Synthetic: done.' },
        { type: 'action-plan.reviewed', plan: 'plan', at: '2025-10-20T09:00:00Z', by: b.prosecutor.email, outcome: 'ready-to-submit' },
        submitted(b, 'f3', '2025-10-21T09:00:00Z'), approved(b, 'f3', '2025-10-22T09:00:00Z'), accepted(b, 'f3', '2025-10-23T09:00:00Z'),
        { type: 'decision.made', submission: 'f3', at: '2025-10-29T09:00:00Z', by: b.prosecutor.email, decision: 'nfa', outcomeCode: 15, preNfaMeetingAt: '2025-10-28T10:00:00Z', grounds: 'Synthetic: the evidential stage is not met.' },
        contact(b, '2025-10-29T15:00:00Z', 'nfa-notification'),
      ]),
      // 7 (unit B): administratively finalised with an action open
      line(b, '2025-10-15T09:00:00Z', [
        contact(b, '2025-10-15T12:00:00Z', 'support-referral'),
        { type: 'early-advice.requested', ref: 'ea', at: '2025-10-16T09:00:00Z', by: b.ds.email, ...EA },
        { type: 'early-advice.triaged', request: 'ea', at: '2025-10-17T09:00:00Z', by: b.dcp.email, decision: 'accept', prosecutorId: b.prosecutor.email },
        { type: 'early-advice.given', request: 'ea', at: '2025-10-20T09:00:00Z', by: b.prosecutor.email, advice: 'Synthetic advice: one action first.',
          actionPlan: { actions: [action('c1', 'police', '2025-10-25T00:00:00Z')] } },
        { type: 'case.admin-finalised', at: '2025-10-28T09:00:00Z', by: b.dcp.email, reason: 'Synthetic: no response to the plan.' },
      ]),
      // 9: the year before
      line(a, '2024-10-15T09:00:00Z', [
        contact(a, '2024-10-15T12:00:00Z', 'support-referral'),
        { type: 'police-nfa.recorded', at: '2024-10-20T09:00:00Z', by: a.ds.email, outcomeCode: 14, rationale: 'Synthetic: the victim cannot support a prosecution.' },
        contact(a, '2024-10-21T09:00:00Z', 'nfa-notification'),
        { type: 'case.closed', at: '2024-10-22T09:00:00Z', by: a.ds.email },
      ]),
      // 10: the last half hour of October
      line(a, '2025-10-31T23:30:00Z', [
        { type: 'early-advice.requested', ref: 'ea', at: '2025-11-01T00:00:00Z', by: a.ds.email, ...EA },
        contact(a, '2025-11-01T10:00:00Z', 'support-referral'),
      ]),
    ];
    await importLines(system, a, lines);
  }, 240_000);
  afterAll(() => system?.stop());

  it('answers each named figure of October 2025 for the force, worked out by hand', async () => {
    const report = await monthly('2025-10');
    expect(report.period).toEqual({ kind: 'monthly', id: '2025-10', from: '2025-09-30T23:00:00.000Z', to: '2025-11-01T00:00:00.000Z', timeZone: 'Europe/London' });
    expect(report.previousPeriod).toMatchObject({ id: '2025-09', from: '2025-08-31T23:00:00.000Z', to: '2025-09-30T23:00:00.000Z' });
    expect(report.yearBeforePeriod).toMatchObject({ id: '2024-10', from: '2024-09-30T23:00:00.000Z', to: '2024-11-01T00:00:00.000Z' });
    expect(report.total.scope).toEqual({ level: 'force', id: REPORT_FORCE.id, name: REPORT_FORCE.name });
    expect(named(report.total.current)).toEqual({
      // Cases 2, 3 (23:30 UTC on 30 Sep is 00:30 BST on 1 Oct), 4, 7 and 10 (23:30 GMT on 31 Oct); 1, 5 and 6 are September's.
      newCases: 5,
      earlyAdvice: {
        // Case 1 (a DS's own request: one endorsement event), case 2 (the officer's request; its endorsement is the same
        // request) and case 7; case 10's at 2025-11-01T00:00Z is November's; case 5's was September's.
        requested: 3,
        // Cases 1, 2 (after the appeal) and 7.
        accepted: 3,
        rejected: 1,
        rejectionReasons: { 'missing-mg11s': 1, 'no-mg3': 1 },
        // Advice in October: case 7 4.0, case 5 11.0 (20 Sep 09:00 to 1 Oct 09:00), case 1 21.0 (504 hours though the
        // wall clock went from 10:00 BST to 09:00 GMT), case 2 28.5 (2 Oct 09:00, its request, to 30 Oct 21:00).
        // Median of four: (11.0 + 21.0) / 2 = 16.0; within 21.0 days: 3 of 4 = 75.0 (case 1's exactly 21 counts).
        turnaround: { count: 4, median: 16, within21DaysPct: 75 },
      },
      // Case 3's charge; case 6: returned after review, a further action plan, an NFA; case 7's finalisation. Case 4's
      // NFA was the police's.
      decisions: { charge: 1, nfa: 1, 'action-plan': 1, returned: 1, adminFinalised: 1 },
      // 1 ÷ (1 + 1).
      chargeRate: 50,
      // Case 5's a1 (7.0), a2 (0.5, the CPS's), a5 (4.0): 0-7; a6 (14.0): 8-14; a7 (28.0): 15-28; a3 (29.0): over-28.
      actionsOverdue: { total: 6, byBand: { '0-7': 3, '8-14': 1, '15-28': 1, 'over-28': 1 }, byOwner: { police: 5, cps: 1 } },
      // Case 3: 2025-09-30T23:30Z to 2025-10-27T09:00Z = 26 days 9.5 hours = 26.396 days.
      reportToCharge: { count: 1, median: 26.4 },
      // Case 4's police NFA (reopened since, still October's) and case 6's CPS NFA, both outcome 15.
      nfaByOutcome: { 15: 2 },
    });
  });

  it('answers the previous month, the same month a year before and a month with no cases', async () => {
    const report = await monthly('2025-10');
    expect(named(report.total.previous)).toEqual({
      ...named(empty()),
      // Cases 1, 5 and 6; case 5's request (20 Sep) and its acceptance (22 Sep). Nothing was overdue at the end of
      // September: case 5's plan came on 1 October.
      newCases: 3,
      earlyAdvice: { ...empty().earlyAdvice, requested: 1, accepted: 1 },
    });
    // Case 9: reported and given a police NFA (outcome 14) in October 2024; a police NFA is no CPS decision.
    expect(named(report.total.yearBefore)).toEqual({ ...named(empty()), newCases: 1, nfaByOutcome: { 14: 1 } });

    // August 2025: nothing reported, decided or due.
    const august = await monthly('2025-08');
    expect(named(august.total.current)).toEqual(named(empty()));
    expect(august.total.current.more.victimsCode).toMatchObject({ supportReferralCases: 0, supportReferralOnTimePct: null });
  });

  it('answers the same figures by unit, and the trend of 13 months ending with the month', async () => {
    const report = await monthly('2025-10');
    expect(report.forces.map((f) => f.scope)).toEqual([{ level: 'force', id: REPORT_FORCE.id, name: REPORT_FORCE.name }]);
    expect(named(report.forces[0].current)).toEqual(named(report.total.current));
    const [unitA, unitB] = [a.unit, b.unit].map((u) => report.units.find((s) => s.scope.id === u)!);
    expect(report.units).toHaveLength(2);
    expect(named(unitA.current)).toEqual({
      newCases: 4, // 2, 3, 4, 10
      earlyAdvice: {
        requested: 2, accepted: 2, rejected: 1, rejectionReasons: { 'missing-mg11s': 1, 'no-mg3': 1 },
        // 11.0, 21.0, 28.5: median 21.0; 2 of 3 within 21 days = 66.666… → 66.7.
        turnaround: { count: 3, median: 21, within21DaysPct: 66.7 },
      },
      decisions: { charge: 1, nfa: 0, 'action-plan': 0, returned: 0, adminFinalised: 0 },
      chargeRate: 100,
      actionsOverdue: { total: 6, byBand: { '0-7': 3, '8-14': 1, '15-28': 1, 'over-28': 1 }, byOwner: { police: 5, cps: 1 } },
      reportToCharge: { count: 1, median: 26.4 },
      nfaByOutcome: { 15: 1 },
    });
    expect(named(unitB.current)).toEqual({
      newCases: 1, // 7
      earlyAdvice: { requested: 1, accepted: 1, rejected: 0, rejectionReasons: {}, turnaround: { count: 1, median: 4, within21DaysPct: 100 } },
      decisions: { charge: 0, nfa: 1, 'action-plan': 1, returned: 1, adminFinalised: 1 },
      chargeRate: 0, // 0 ÷ (0 + 1)
      // Case 6's action was done on 19 Oct; case 7's (due 25 Oct) stopped with the finalisation on 28 Oct.
      actionsOverdue: { total: 0, byBand: { '0-7': 0, '8-14': 0, '15-28': 0, 'over-28': 0 }, byOwner: { police: 0, cps: 0 } },
      reportToCharge: { count: 0, median: null },
      nfaByOutcome: { 15: 1 },
    });

    expect(report.trend.map((t) => t.period.id)).toEqual(['2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10']);
    expect(report.trend.map((t) => t.figures.newCases)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 5]);
    expect(report.trend.at(-1)!.figures).toEqual(report.total.current);
    expect(named(report.trend[11].figures)).toEqual(named(report.total.previous));
    expect(named(report.trend[0].figures)).toEqual(named(report.total.yearBefore));

    // One unit asked for: that unit is the whole report.
    const onlyB = await monthly('2025-10', a.di.token, b.unit);
    expect(onlyB.total.scope).toEqual({ level: 'unit', id: b.unit, name: `Test unit ${b.unit}` });
    expect(named(onlyB.total.current)).toEqual(named(unitB.current));
    expect(onlyB.forces).toEqual([]);
  });

  it('rebuilds the actions overdue at the end of November from the timeline: a re-dating and a completion after October count from when they happened', async () => {
    const november = await monthly('2025-11');
    // a1 37.0, a2 30.5 (the CPS's), a6 44.0, a7 58.0 days: over-28. a3 was re-dated on 5 Nov to 2025-12-01T00:00Z, the
    // month's end itself: 0 days, not overdue. a5 was completed on 3 Nov.
    expect(november.total.current.actionsOverdue).toEqual({ total: 4, byBand: { '0-7': 0, '8-14': 0, '15-28': 0, 'over-28': 4 }, byOwner: { police: 3, cps: 1 } });
    // Case 10's request at 00:00 on 1 November is November's.
    expect(november.total.current.earlyAdvice.requested).toBe(1);
  });

  it('defines every figure, and gives the rest of §6 under `more` by its own definitions', async () => {
    const report = await monthly('2025-10');
    for (const path of ['newCases', 'earlyAdvice.turnaround.within21DaysPct', 'chargeRate', 'actionsOverdue.byBand', 'nfaByOutcome', 'more.victimsCode.supportReferralOnTimePct', 'more.breachForecast.cps']) {
      expect(report.definitions[path]).toEqual({ numerator: expect.any(String), denominator: path.endsWith('Pct') || path === 'chargeRate' ? expect.any(String) : null, cohort: expect.any(String), basis: expect.any(String) });
    }
    // Every figure of the answer has its definition (a record's entries under the record's path).
    const leaves = (o: object, path = ''): string[] => Object.entries(o).flatMap(([k, v]) => (v !== null && typeof v === 'object' ? leaves(v, `${path}${k}.`) : [`${path}${k}`]));
    for (const leaf of leaves(report.total.current)) {
      expect([leaf, leaf.split('.').slice(0, -1).join('.')].some((p) => report.definitions[p])).toBe(true);
    }
    const more = report.total.current.more;
    expect(more.earlyAdvice).toMatchObject({ notSought: 1, notSoughtPct: 25 }); // case 3; 1 ÷ (1 + 3 requests)
    // Support referral within 2 working days of the report: cases 3, 4, 7 and 10 (its 2 working days run to Tuesday 4
    // November); case 2's came on Monday 6 Oct, due by Friday 3 Oct 11:00 BST: 4 of 5.
    // Key events: case 3's charge (the victim told the same day), case 4's bail (never told): 1 of 2.
    // NFA notifications: case 6 on the day; case 4 on Monday 13 Oct, due by Friday 10 Oct: 1 of 2.
    expect(more.victimsCode).toEqual({ supportReferralCases: 5, supportReferralOnTimePct: 80, keyEvents: 2, keyEventUpdateOnTimePct: 50, nfaDecisions: 2, nfaNotificationOnTimePct: 50 });
    // Case 4's suspect, bailed on 21 October for 3 months.
    expect(more.bail).toMatchObject({ onBail: 1, threeMonths: 1, expiringWithin30Days: 0, rui: 0 });
    // Referrals: EA endorsements of cases 1, 2, 7; file approvals of case 3 and case 6's second and third files. The
    // charged case 3 names two suspects.
    expect(more.referrals).toEqual({ earlyAdvice: 3, charging: 3, total: 6, chargedSuspects: 2 });
    // Referral to decision: case 3 12.0 days, case 6's return 6.0, plan 3.0, NFA 7.0: mean 7.0, median 6.5.
    expect(more.cpsDecisionTime).toEqual({ count: 4, mean: 7, median: 6.5, nonCustodyCount: 4, nonCustodyWithin28DaysPct: 100 });
    // Cases given a CPS charge or NFA: case 3 (one referral before it), case 6 (three files): 2.0 a case.
    expect(more.consultations).toEqual({ cases: 2, perCase: 2 });
    expect(more.decisions).toEqual({ nfaEvidential: 1, nfaPublicInterest: 0, preNfaMeetingPct: 100, adminFinalisedRate: 33.3 });
    expect(more.actionPlans).toMatchObject({ openAtEnd: 1 });
    expect(more.breachForecast).toEqual({ police: expect.any(Number), cps: expect.any(Number) });
    expect(report.total.previous.more.breachForecast).toEqual({ police: null, cps: null });
    // Aggregates only: no case id, URN or name.
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/Reportsuspect|Testvictim|53X/);
  });

  it('gives CPS staff their area and an analyst their force, the same figures', async () => {
    const area = await monthly('2025-10', a.dcp.token);
    expect(area.total.scope).toEqual({ level: 'area', id: REPORT_AREA.id, name: REPORT_AREA.name });
    expect(area.total.current).toEqual(expect.objectContaining(named((await monthly('2025-10')).total.current)));
    const byAnalyst = await monthly('2025-10', analyst);
    expect(byAnalyst.total.scope.id).toBe(REPORT_FORCE.id);
    expect(named(byAnalyst.total.current)).toEqual(named(area.total.current));
  });

  it('answers CSV that parses back to exactly the JSON\'s figures', async () => {
    const json = await monthly('2025-10');
    const res = await call(a.di.token, '/reports/monthly?month=2025-10', { accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = res.body as string;
    expect(csv.split('\n')[0]).toBe('scope_level,scope_id,scope_name,comparison,period,figure,value');
    expect(csv).toContain(`force,${REPORT_FORCE.id},${REPORT_FORCE.name},current,2025-10,earlyAdvice.turnaround.median,16`);
    const parsed = parseReportCsv(csv);
    expect(parsed.scopes.total).toEqual({ scope: json.total.scope, current: json.total.current, previous: json.total.previous, yearBefore: json.total.yearBefore });
    for (const s of [...json.units]) expect(parsed.scopes[`unit:${s.scope.id}`]).toEqual(s);
    expect(parsed.trend).toEqual(json.trend.map((t) => ({ period: t.period.id, figures: t.figures })));
  });

  it('refuses a bad month (400), one not yet begun (422), a unit outside the scope (404) or a CPS team (422), and other roles (403); and audits each read', async () => {
    const bad = await call(a.di.token, '/reports/monthly?month=2025-13');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'month', problem: expect.stringMatching(/YYYY-MM/) }]);
    expect((await call(a.di.token, '/reports/quarterly?quarter=2025-Q5')).status).toBe(400);
    expect((await call(a.di.token, '/reports/monthly')).status).toBe(400);
    const future = await call(a.di.token, '/reports/monthly?month=2999-01');
    expect(future.status).toBe(422);
    expect(future.body.details).toEqual([{ field: 'month', problem: expect.stringMatching(/not begun/) }]);
    const otherForce = await createTeam(system.baseUrl);
    expect((await call(a.di.token, `/reports/monthly?month=2025-10&unit=${otherForce.unit}`)).status).toBe(404);
    expect((await call(a.di.token, `/reports/monthly?month=2025-10&unit=no-such-unit-${randomUUID()}`)).status).toBe(404);
    const cpsTeam = await call(a.di.token, `/reports/monthly?month=2025-10&unit=${a.unit}-cps`);
    expect(cpsTeam.status).toBe(422);
    expect(cpsTeam.body.details).toEqual([{ field: 'unit', problem: expect.any(String) }]);
    for (const token of [a.officer.token, a.admin, await tokenFor({ sub: randomUUID(), roles: ['panel'], unit: a.unit })]) {
      expect((await call(token, '/reports/monthly?month=2025-10')).status).toBe(403);
      expect((await call(token, '/reports/quarterly?quarter=2025-Q4')).status).toBe(403);
    }
    const [{ n }] = await system.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1 AND route = '/api/reports/monthly' AND action = 'case.read'`, [a.di.id]);
    expect(n).toBeGreaterThan(0);
  });

  it('counts a case imported later into a month already reported (its cached figures are forgotten)', async () => {
    expect((await monthly('2025-10')).total.current.newCases).toBe(5);
    const cached = async () => (await system.dataSource.query(`SELECT count(*)::int AS n FROM report_unit_periods WHERE unit = $1 AND kind = 'monthly' AND period_id = '2025-10'`, [b.unit]))[0].n;
    expect(await cached()).toBe(1);
    const body = caseBody({ unit: b.unit, officerId: b.officer.email, urn: randomUrn(b.forceCode) });
    const late = { ...body, reportedAt: '2025-10-20T09:00:00Z', offence: { ...body.offence, committedFrom: '2025-10-19', committedTo: '2025-10-19' }, suspects: [suspect(3)], events: [
      { type: 'police-nfa.recorded', at: '2025-10-22T09:00:00Z', by: b.ds.email, outcomeCode: 16, rationale: 'Synthetic: the victim does not support a prosecution.' },
    ] };
    await importLines(system, a, [late]);
    expect(await cached()).toBe(0);
    const after = await monthly('2025-10');
    expect(after.total.current.newCases).toBe(6);
    expect(after.total.current.nfaByOutcome).toEqual({ 15: 2, 16: 1 });
    expect(after.units.find((u) => u.scope.id === b.unit)!.current.newCases).toBe(2);
    // September, untouched, is as it was.
    expect(after.total.previous.newCases).toBe(3);
  });

  it('answers the quarter holding October', async () => {
    const res = await call(a.di.token, '/reports/quarterly?quarter=2025-Q4');
    expect(res.status).toBe(200);
    const q: Report = res.body;
    expect(q.period).toEqual({ kind: 'quarterly', id: '2025-Q4', from: '2025-09-30T23:00:00.000Z', to: '2026-01-01T00:00:00.000Z', timeZone: 'Europe/London' });
    expect(q.previousPeriod.id).toBe('2025-Q3');
    expect(q.yearBeforePeriod.id).toBe('2024-Q4');
    expect(q.trend).toHaveLength(13);
    // October's six cases (five, and the one imported later); the quarter before holds September's three.
    expect(q.total.current.newCases).toBe(6);
    expect(q.total.previous.newCases).toBe(3);
    expect(q.total.yearBefore.nfaByOutcome).toEqual({ 14: 1 });
    // Q4 advice: October's four, none later (case 10's request was never answered).
    expect(q.total.current.earlyAdvice.turnaround).toEqual({ count: 4, median: 16, within21DaysPct: 75 });
  });
});
