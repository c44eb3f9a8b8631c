import { caseBody, createTeam, SYNTHETIC_VICTIM, type Team } from '../support/fixtures';
import { api, eventually, mailTo, type RunningSystem, startSystem } from '../support/system';

const inDays = (days: number) => new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString();
const fullChecklist = { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true };

/**
 * One case from registration to a charge, purely over HTTP with each person's own token, against the real
 * Temporal dev server, PostgreSQL and SMTP catcher; then the timeline and everyone's inbox.
 */
describe('the pre-charge pipeline over HTTP', () => {
  let system: RunningSystem;
  let team: Team;

  beforeAll(async () => {
    system = await startSystem();
    team = await createTeam(system.baseUrl);
  });
  afterAll(() => system?.stop());

  it('registers, gets Early Advice with an action plan, submits, passes the gatekeeper and is charged', async () => {
    const call = (who: { token: string }, method: string, path: string, body?: unknown) => api(system.baseUrl, method, path, { token: who.token, body });
    const expectOk = async (p: Promise<{ status: number; body: any }>, status = 200) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const res = await p;
      expect({ status: res.status, body: res.status === status ? 'ok' : res.body }).toEqual({ status, body: 'ok' });
      return res.body;
    };

    const kase = await expectOk(call(team.officer, 'POST', '/cases', caseBody({ unit: team.unit, officerId: team.officer.id })), 201);
    const caseId: string = kase.id;
    expect((await call(team.prosecutor, 'GET', `/cases/${caseId}`)).status).toBe(403); // not referred to the CPS yet

    const request = await expectOk(call(team.officer, 'POST', `/cases/${caseId}/early-advice`, {
      summary: 'Synthetic summary of the allegation and the investigation so far.',
      linesOfInquiry: ['Phone download requested; results expected in two weeks'],
      issues: ['Consent disputed in interview'],
      questions: ['Is third-party material from the GP necessary?'],
    }), 201);
    expect(request.case.stage).toBe('ea-requested');
    expect((await call(team.officer, 'POST', `/early-advice/${request.requestId}/endorse`)).status).toBe(403); // supervisors endorse
    expect((await expectOk(call(team.ds, 'POST', `/early-advice/${request.requestId}/endorse`))).stage).toBe('ea-triage');
    expect((await call(team.ds, 'POST', `/early-advice/${request.requestId}/endorse`)).status).toBe(409); // already endorsed

    const triage = await call(team.dcp, 'POST', `/early-advice/${request.requestId}/triage`, { decision: 'accept' });
    expect(triage.status).toBe(400);
    expect(triage.body.details).toEqual([{ field: 'prosecutorId', problem: expect.any(String) }]);
    expect((await expectOk(call(team.dcp, 'POST', `/early-advice/${request.requestId}/triage`, { decision: 'accept', prosecutorId: team.prosecutor.id }))).stage).toBe('ea-in-progress');

    const advised = await expectOk(call(team.prosecutor, 'POST', `/early-advice/${request.requestId}/advice`, {
      advice: 'Synthetic advice: obtain the phone download before a charging request.',
      actionPlan: { actions: [{ description: 'Obtain and review the phone download', owner: 'police', dueAt: inDays(14), decisionCritical: true, reason: 'Corroboration' }] },
    }));
    expect(advised).toMatchObject({ stage: 'action-plan-open', holder: { organisation: 'police', role: 'officer' } });
    const plans = await expectOk(call(team.officer, 'GET', `/cases/${caseId}/action-plans`));
    expect(plans).toEqual([expect.objectContaining({ status: 'open', actions: [expect.objectContaining({ description: 'Obtain and review the phone download', owner: 'police', status: 'open', decisionCritical: true })] })]);

    await expectOk(call(team.officer, 'POST', `/actions/${plans[0].actions[0].id}/complete`, { note: 'Download reviewed; MG20 sent.' }));
    expect((await expectOk(call(team.prosecutor, 'POST', `/action-plans/${plans[0].id}/review`, { outcome: 'ready-to-submit' }))).stage).toBe('file-build');

    const submission = await expectOk(call(team.officer, 'POST', `/cases/${caseId}/submissions`, { test: 'full-code', category: 'green', checklist: fullChecklist, report: 'Synthetic MG3 report for a charging decision.' }), 201);
    expect((await call(team.officer, 'POST', `/submissions/${submission.submissionId}/approve`)).status).toBe(403);
    expect((await expectOk(call(team.ds, 'POST', `/submissions/${submission.submissionId}/approve`))).stage).toBe('charging-submitted');
    expect((await expectOk(call(team.dcp, 'POST', `/submissions/${submission.submissionId}/triage`, { decision: 'accept', prosecutorId: team.prosecutor.id }))).stage).toBe('cps-review');
    const charged = await expectOk(call(team.prosecutor, 'POST', `/submissions/${submission.submissionId}/decision`, { decision: 'charge', grounds: 'Synthetic: both stages of the full code test are met.' }));
    expect(charged).toMatchObject({ stage: 'charged', outcomeCode: 1 });

    const read = await expectOk(call(team.ds, 'GET', `/cases/${caseId}`));
    expect(read).toMatchObject({ stage: 'charged', outcomeCode: 1, flags: { referredToCps: true }, clocks: [expect.objectContaining({ name: 'victim.keyEventUpdate' })] });
    const timeline = await expectOk(call(team.officer, 'GET', `/cases/${caseId}/timeline`));
    expect(timeline.map((e: { type: string; actorId: string }) => [e.type, e.actorId])).toEqual([
      ['case-registered', team.officer.id],
      ['early-advice-requested', team.officer.id],
      ['early-advice-endorsed', team.ds.id],
      ['early-advice-accepted', team.dcp.id],
      ['early-advice-recorded', team.prosecutor.id],
      ['action-completed', team.officer.id],
      ['action-plan-reviewed', team.prosecutor.id],
      ['file-submitted', team.officer.id],
      ['submission-approved', team.ds.id],
      ['submission-accepted', team.dcp.id],
      ['charge-authorised', team.prosecutor.id],
    ]);
    expect(timeline.at(-1)).toMatchObject({ fromStage: 'cps-review', toStage: 'charged' });

    /** Waits until `who` has an email matching each expected subject fragment, and none names the victim. */
    const expectMail = async (who: { email: string }, expected: string[]) => {
      const mails = await eventually(async () => {
        const m = await mailTo(who.email);
        return expected.every((fragment) => m.some((mail) => mail.subject?.includes(fragment))) && m;
      });
      for (const m of mails) expect(`${m.subject} ${m.text} ${m.html}`).not.toContain(SYNTHETIC_VICTIM);
    };
    await expectMail(team.officer, ['allocated to you', 'accepted your Early Advice request', 'action plan have been recorded', 'ready to build and submit', 'authorised a charge']);
    await expectMail(team.ds, ['awaits your endorsement', 'gatekeeper review', 'authorised a charge']);
    await expectMail(team.dcp, ['Early Advice request awaits CPS triage', 'charging file awaits CPS triage']);
    await expectMail(team.prosecutor, ['allocated an Early Advice request', 'review it', 'allocated to you for a decision']);
  });
});
