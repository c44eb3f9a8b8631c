import { join } from 'node:path';
import { caseWithOneAction, withSystemAndTeam } from '../support/fixtures';
import { api, eventually, mailTo } from '../support/system';

interface AgendaEntry { caseId: string; reasons: { code: string; detail: string }[]; outcome?: string }

/**
 * Over HTTP only, on the real stack: a case with an overdue action is on the next clinic's agenda as action-overdue;
 * the liaison records amend-plan with a new date; the case shows the action's new due date and its clock re-armed with
 * the clinic as the approval, and the officer is emailed. A consider-nfa outcome sets the DS a pre-NFA review task.
 */
describe('a clinic outcome flows back into the case', () => {
  const context = withSystemAndTeam({ policyFile: join(__dirname, '..', 'fixtures', 'fast-policy.json') });
  const call = (who: { token: string }, method: string, path: string, body?: unknown) => api(context.system.baseUrl, method, path, { token: who.token, body });

  const caseWithAction = (dueInMs: number) => caseWithOneAction(context.system.baseUrl, context.team, dueInMs);

  it('re-dates the overdue action with the clinic as approval and re-arms its clock; consider-nfa tasks the DS', async () => {
    const { team } = context;
    const overdue = await caseWithAction(1_500);
    const doubtful = await caseWithAction(30 * 86_400_000);
    await call(team.ds, 'POST', `/cases/${doubtful.caseId}/clinic-referral`, { reason: 'Synthetic: the evidence may not support a charge.' });
    await eventually(async () => (await call(team.officer, 'GET', `/cases/${overdue.caseId}`)).body.clocks.find((c: { name: string; overdue: boolean }) => c.name === 'actionPlan.item' && c.overdue), 15_000);

    const clinic = await call(team.di, 'POST', '/clinics', { unit: team.unit, sittingAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(clinic.status).toBe(201);
    const entry = (clinic.body.agenda as AgendaEntry[]).find((e) => e.caseId === overdue.caseId);
    expect(entry?.reasons.map((r) => r.code)).toEqual(['action-overdue']);

    const newDue = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const officerNotAllowed = await call(team.officer, 'POST', `/clinics/${clinic.body.id}/cases/${overdue.caseId}/outcome`, { outcome: 'continue', note: 'Synthetic' });
    expect(officerNotAllowed.status).toBe(403);
    const amended = await call(team.prosecutor, 'POST', `/clinics/${clinic.body.id}/cases/${overdue.caseId}/outcome`, {
      outcome: 'amend-plan', note: 'Synthetic: CCTV request re-sent to the venue.', actionDueDates: [{ actionId: overdue.actionId, dueAt: newDue }],
    });
    expect(amended.status).toBe(201);
    expect((await call(team.prosecutor, 'POST', `/clinics/${clinic.body.id}/cases/${overdue.caseId}/outcome`, { outcome: 'continue', note: 'Again' })).status).toBe(409);

    const kase = (await call(team.officer, 'GET', `/cases/${overdue.caseId}`)).body;
    expect(kase.actions.find((a: { id: string }) => a.id === overdue.actionId).dueAt).toBe(newDue);
    const clock = kase.clocks.find((c: { key: string }) => c.key === `actionPlan.item:${overdue.actionId}`);
    expect(clock).toMatchObject({ dueAt: newDue, overdue: false, explanation: `due date moved to ${newDue} (approved by clinic:${clinic.body.id})` });
    expect(Date.parse(clock.nextStepAt)).toBeGreaterThan(Date.now());
    expect(kase.clinics).toEqual([expect.objectContaining({ clinicId: clinic.body.id, outcome: 'amend-plan', reasons: [expect.objectContaining({ code: 'action-overdue' })] })]);
    const timeline = (await call(team.officer, 'GET', `/cases/${overdue.caseId}/timeline`)).body;
    expect(timeline.at(-1)).toMatchObject({ type: 'clinic-outcome-recorded', reason: 'amend-plan', actorId: team.prosecutor.id });
    await eventually(async () => (await mailTo(team.officer.email)).find((m) => m.subject?.startsWith('The clinic amended the action plan')), 20_000);
    const read = (await call(team.di, 'GET', `/clinics/${clinic.body.id}`)).body;
    expect((read.agenda as AgendaEntry[]).find((e) => e.caseId === overdue.caseId)?.outcome).toBe('amend-plan');

    const nfa = await call(team.di, 'POST', `/clinics/${clinic.body.id}/cases/${doubtful.caseId}/outcome`, { outcome: 'consider-nfa', note: 'Synthetic: consider NFA.' });
    expect(nfa.status).toBe(201);
    const task = await eventually(async () => ((await call(team.ds, 'GET', '/tasks?mine=true&status=open')).body as { clockName: string; caseId: string }[])
      .find((t) => t.clockName === 'clinic.nfaReview' && t.caseId === doubtful.caseId), 20_000);
    expect(task).toBeTruthy();
  });
});
