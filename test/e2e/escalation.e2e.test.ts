import { join } from 'node:path';
import { caseBody, withSystemAndTeam } from '../support/fixtures';
import { api, eventually, mailTo } from '../support/system';

/**
 * An action left overdue on the real stack, under a policy of second-scale durations: the officer's reminder,
 * then the DS's and the DI's escalations arrive in order at the SMTP catcher, each also a task in an inbox.
 */
describe('an overdue action escalates live', () => {
  const context = withSystemAndTeam({ policyFile: join(__dirname, '..', 'fixtures', 'fast-policy.json') });

  it('reminds the officer, escalates to the DS and then the DI, and files inbox tasks they can acknowledge', async () => {
    const call = (who: { token: string }, method: string, path: string, body?: unknown) => api(context.system.baseUrl, method, path, { token: who.token, body });
    const kase = (await call(context.team.officer, 'POST', '/cases', caseBody({ unit: context.team.unit, officerId: context.team.officer.id }))).body;
    const { requestId } = (await call(context.team.officer, 'POST', `/cases/${kase.id}/early-advice`, {
      summary: 'Synthetic summary for the escalation test.', linesOfInquiry: ['CCTV'], issues: ['Identification'], questions: ['Is CCTV enough?'],
    })).body;
    await call(context.team.ds, 'POST', `/early-advice/${requestId}/endorse`);
    await call(context.team.dcp, 'POST', `/early-advice/${requestId}/triage`, { decision: 'accept', prosecutorId: context.team.prosecutor.id });
    const dueAt = new Date(Date.now() + 6_000).toISOString();
    const advised = await call(context.team.prosecutor, 'POST', `/early-advice/${requestId}/advice`, {
      advice: 'Synthetic advice with one action that will be left overdue.',
      actionPlan: { actions: [{ description: 'Obtain CCTV from the venue', owner: 'police', dueAt, decisionCritical: true }] },
    });
    expect(advised.status).toBe(200);
    const clock = advised.body.clocks.find((c: { name: string }) => c.name === 'actionPlan.item');
    expect(clock.explanation).toMatch(/agreed due date/);

    const actionMail = (m: { subject?: string }) => m.subject?.includes('Action plan item') ?? false;
    const reminder = await eventually(async () => (await mailTo(context.team.officer.email)).find((m) => actionMail(m) && m.subject!.startsWith('Reminder')), 30_000);
    const dsMail = await eventually(async () => (await mailTo(context.team.ds.email)).find((m) => actionMail(m) && m.subject!.startsWith('Overdue')), 30_000);
    const diMail = await eventually(async () => (await mailTo(context.team.di.email)).find((m) => actionMail(m) && m.subject!.startsWith('Overdue')), 30_000);
    const at = (m: object) => Date.parse((m as { receivedAt: string }).receivedAt);
    expect(at(reminder)).toBeLessThan(at(dsMail));
    expect(at(dsMail)).toBeLessThan(at(diMail));
    expect(at(reminder)).toBeLessThan(Date.parse(dueAt));
    expect(at(dsMail)).toBeGreaterThanOrEqual(Date.parse(dueAt) + 2_000 - 500);
    expect(diMail.text).toContain(`/cases/${kase.id}`);
    await eventually(async () => (await mailTo(context.team.prosecutor.email)).some((m) => actionMail(m) && m.subject!.startsWith('Overdue')), 30_000);

    const officerTasks = (await call(context.team.officer, 'GET', '/tasks?mine=true&status=open')).body;
    expect(officerTasks).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'reminder', clockName: 'actionPlan.item', caseId: kase.id, caseUrn: kase.urn })]));
    const dsEscalations = (await call(context.team.ds, 'GET', '/escalations?mine=true')).body.filter((t: { clockName: string }) => t.clockName === 'actionPlan.item');
    const diEscalations = (await call(context.team.di, 'GET', '/escalations?mine=true')).body.filter((t: { clockName: string }) => t.clockName === 'actionPlan.item');
    expect(dsEscalations).toHaveLength(1);
    expect(diEscalations).toHaveLength(1);
    expect(dsEscalations[0]).toMatchObject({ kind: 'escalation', status: 'open', why: expect.stringContaining('DS') });

    // Someone else's escalation is not found; one's own is acknowledged through the case workflow.
    expect((await call(context.team.di, 'POST', `/escalations/${dsEscalations[0].id}/acknowledge`)).status).toBe(404);
    const ack = await call(context.team.ds, 'POST', `/escalations/${dsEscalations[0].id}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.clocks.find((c: { name: string }) => c.name === 'actionPlan.item').acknowledged).toMatchObject({ by: context.team.ds.id });
    expect((await call(context.team.ds, 'GET', '/escalations?status=acknowledged')).body.map((t: { id: string }) => t.id)).toContain(dsEscalations[0].id);
    expect((await call(context.team.ds, 'POST', `/escalations/${dsEscalations[0].id}/acknowledge`)).status).toBe(409);

    const timeline = (await call(context.team.officer, 'GET', `/cases/${kase.id}/timeline`)).body;
    expect(timeline.at(-1)).toMatchObject({ type: 'escalation-acknowledged', actorId: context.team.ds.id });
  });
});
