import { caseBody, SYNTHETIC_VICTIM, withSystemAndTeam } from '../support/fixtures';
import { api, eventually, mailTo } from '../support/system';

const inDays = (days: number) => new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString();
const fullChecklist = { mg3: true, caseSummary: true, victimAccount: true, keyWitnessStatements: true, suspectInterview: true, exhibits: true, disclosureSchedules: true, previousConvictions: true };

/**
 * One case from registration to a charge, purely over HTTP with each person's own token, against the real
 * Temporal dev server, PostgreSQL and SMTP catcher; then the timeline and everyone's inbox.
 */
describe('the pre-charge pipeline over HTTP', () => {
  const context = withSystemAndTeam();

  it('registers, gets Early Advice with an action plan, submits, passes the gatekeeper and is charged', async () => {
    const call = (who: { token: string }, method: string, path: string, body?: unknown) => api(context.system.baseUrl, method, path, { token: who.token, body });
    const expectOk = async (p: Promise<{ status: number; body: any }>, status = 200) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const res = await p;
      expect({ status: res.status, body: res.status === status ? 'ok' : res.body }).toEqual({ status, body: 'ok' });
      return res.body;
    };

    const kase = await expectOk(call(context.team.officer, 'POST', '/cases', caseBody({ unit: context.team.unit, officerId: context.team.officer.id })), 201);
    const caseId: string = kase.id;
    expect((await call(context.team.prosecutor, 'GET', `/cases/${caseId}`)).status).toBe(403); // not referred to the CPS yet

    const eaBody = {
      summary: 'Synthetic summary of the allegation and the investigation so far.',
      linesOfInquiry: ['Phone download requested; results expected in two weeks'],
      issues: ['Consent disputed in interview'],
      questions: ['Is third-party material from the GP necessary?'],
    };
    const headers = { 'Idempotency-Key': `ea-${caseId}` };
    const request = await expectOk(api(context.system.baseUrl, 'POST', `/cases/${caseId}/early-advice`, { token: context.team.officer.token, body: eaBody, headers }), 201);
    // A retried request (lost response) names the same Early Advice request and changes nothing.
    const retried = await expectOk(api(context.system.baseUrl, 'POST', `/cases/${caseId}/early-advice`, { token: context.team.officer.token, body: eaBody, headers }), 201);
    expect(retried.requestId).toBe(request.requestId);
    expect(retried.case.earlyAdvice).toHaveLength(1);
    expect(request.case.stage).toBe('ea-requested');
    expect((await call(context.team.officer, 'POST', `/early-advice/${request.requestId}/endorse`)).status).toBe(403); // supervisors endorse
    expect((await expectOk(call(context.team.ds, 'POST', `/early-advice/${request.requestId}/endorse`))).stage).toBe('ea-triage');
    expect((await call(context.team.ds, 'POST', `/early-advice/${request.requestId}/endorse`)).status).toBe(409); // already endorsed

    const triage = await call(context.team.dcp, 'POST', `/early-advice/${request.requestId}/triage`, { decision: 'accept' });
    expect(triage.status).toBe(400);
    expect(triage.body.details).toEqual([{ field: 'prosecutorId', problem: expect.any(String) }]);
    expect((await expectOk(call(context.team.dcp, 'POST', `/early-advice/${request.requestId}/triage`, { decision: 'accept', prosecutorId: context.team.prosecutor.id }))).stage).toBe('ea-in-progress');

    const advised = await expectOk(call(context.team.prosecutor, 'POST', `/early-advice/${request.requestId}/advice`, {
      advice: 'Synthetic advice: obtain the phone download before a charging request.',
      actionPlan: { actions: [{ description: 'Obtain and review the phone download', owner: 'police', dueAt: inDays(14), decisionCritical: true, reason: 'Corroboration' }] },
    }));
    expect(advised).toMatchObject({ stage: 'action-plan-open', holder: { organisation: 'police', role: 'officer' } });
    const plans = await expectOk(call(context.team.officer, 'GET', `/cases/${caseId}/action-plans`));
    expect(plans).toEqual([expect.objectContaining({ status: 'open', actions: [expect.objectContaining({ description: 'Obtain and review the phone download', owner: 'police', status: 'open', decisionCritical: true })] })]);

    await expectOk(call(context.team.officer, 'POST', `/actions/${plans[0].actions[0].id}/complete`, { note: 'Download reviewed; MG20 sent.' }));
    expect((await expectOk(call(context.team.prosecutor, 'POST', `/action-plans/${plans[0].id}/review`, { outcome: 'ready-to-submit' }))).stage).toBe('file-build');

    const submission = await expectOk(call(context.team.officer, 'POST', `/cases/${caseId}/submissions`, { test: 'full-code', category: 'green', checklist: fullChecklist, report: 'Synthetic MG3 report for a charging decision.' }), 201);
    expect((await call(context.team.officer, 'POST', `/submissions/${submission.submissionId}/approve`)).status).toBe(403);
    expect((await expectOk(call(context.team.ds, 'POST', `/submissions/${submission.submissionId}/approve`))).stage).toBe('charging-submitted');
    expect((await expectOk(call(context.team.dcp, 'POST', `/submissions/${submission.submissionId}/triage`, { decision: 'accept', prosecutorId: context.team.prosecutor.id }))).stage).toBe('cps-review');
    const charged = await expectOk(call(context.team.prosecutor, 'POST', `/submissions/${submission.submissionId}/decision`, { decision: 'charge', grounds: 'Synthetic: both stages of the full code test are met.' }));
    expect(charged).toMatchObject({ stage: 'charged', outcomeCode: 1 });

    const read = await expectOk(call(context.team.ds, 'GET', `/cases/${caseId}`));
    expect(read).toMatchObject({ stage: 'charged', outcomeCode: 1, flags: { referredToCps: true }, clocks: [expect.objectContaining({ name: 'victim.keyEventUpdate' })] });
    const timeline = await expectOk(call(context.team.officer, 'GET', `/cases/${caseId}/timeline`));
    expect(timeline.map((e: { type: string; actorId: string }) => [e.type, e.actorId])).toEqual([
      ['case-registered', context.team.officer.id],
      ['early-advice-requested', context.team.officer.id],
      ['early-advice-endorsed', context.team.ds.id],
      ['early-advice-accepted', context.team.dcp.id],
      ['early-advice-recorded', context.team.prosecutor.id],
      ['action-completed', context.team.officer.id],
      ['action-plan-reviewed', context.team.prosecutor.id],
      ['file-submitted', context.team.officer.id],
      ['submission-approved', context.team.ds.id],
      ['submission-accepted', context.team.dcp.id],
      ['charge-authorised', context.team.prosecutor.id],
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
    await expectMail(context.team.officer, ['allocated to you', 'accepted your Early Advice request', 'action plan have been recorded', 'ready to build and submit', 'authorised a charge']);
    await expectMail(context.team.ds, ['awaits your endorsement', 'gatekeeper review', 'authorised a charge']);
    await expectMail(context.team.dcp, ['Early Advice request awaits CPS triage', 'charging file awaits CPS triage']);
    await expectMail(context.team.prosecutor, ['allocated an Early Advice request', 'review it', 'allocated to you for a decision']);
  });
});
