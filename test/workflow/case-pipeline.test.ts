import { randomUUID } from 'node:crypto';
import { NFS_CHECKLIST, type NewActionPlan } from '../../workflows/contracts';
import { actors, DAY, futureDays, TestCase, withTimeSkippingWorker } from '../support/case-harness';

const fullChecklist = Object.fromEntries(NFS_CHECKLIST.map((item) => [item, true]));
const { officer, ds, di, prosecutor, dcp } = actors;

/** Every path of the pre-charge pipeline (domain.md §3) and the transitions it must refuse. */
describe('case pipeline (time skipping)', () => {
  const context = withTimeSkippingWorker();
  const { recorded } = context;


  const plan = async (actions: { owner: 'police' | 'cps'; decisionCritical: boolean; inDays?: number }[]): Promise<NewActionPlan> => ({
    planId: randomUUID(),
    actions: await Promise.all(actions.map(async (a) => ({ actionId: randomUUID(), owner: a.owner, decisionCritical: a.decisionCritical, dueAt: await futureDays(context.env, a.inDays ?? 14) }))),
  });

  it('times a command by when the API sent it: never after the workflow\'s clock, never before the command before it', async () => {
    const kase = await TestCase.start(context.env);
    const occurredAt = () => recorded.transitions.filter((t) => t.caseId === kase.registration.caseId).at(-1)!.event.occurredAt;
    await context.env.sleep(2 * 3_600_000);
    const now = await context.env.currentTimeMs();
    // Sent an hour ago (as a command a reset re-applies was): its own time, to the millisecond.
    const hourAgo = new Date(now - 3_600_000).toISOString();
    const requestId = randomUUID();
    await kase.send(officer, { type: 'requestEarlyAdvice', requestId }, { sentAt: hourAgo });
    expect(occurredAt()).toBe(hourAgo);
    // Stamped a day ahead (an API host whose clock runs fast): the workflow's own time.
    await kase.send(ds, { type: 'endorseEarlyAdvice', requestId }, { withoutDocument: true, sentAt: new Date(now + DAY).toISOString() });
    const endorsedAt = occurredAt();
    expect(Date.parse(endorsedAt)).toBeGreaterThanOrEqual(now);
    expect(Date.parse(endorsedAt)).toBeLessThanOrEqual(await context.env.currentTimeMs());
    // Stamped before the command before it: that command's time, so the timeline never runs backwards.
    await kase.send(dcp, { type: 'triageEarlyAdvice', requestId, decision: 'reject', reasons: ['no-mg3'] }, { withoutDocument: true, sentAt: new Date(now - 2 * 3_600_000).toISOString() });
    expect(occurredAt()).toBe(endorsedAt);
  });

  async function toCpsReview(kase: TestCase, test: 'full-code' | 'threshold' = 'full-code') {
    const submissionId = randomUUID();
    await kase.send(officer, { type: 'submitFile', submissionId, test, category: test === 'threshold' ? 'red' : 'green', checklist: fullChecklist });
    await kase.send(ds, { type: 'approveSubmission', submissionId }, { withoutDocument: true });
    await kase.send(dcp, { type: 'triageSubmission', submissionId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true });
    return submissionId;
  }

  it('takes a case from Early Advice with an action plan through a charging submission to a charge', async () => {
    const kase = await TestCase.start(context.env);
    const requestId = randomUUID();
    expect((await kase.send(officer, { type: 'requestEarlyAdvice', requestId })).stage).toBe('ea-requested');
    const endorsed = await kase.send(ds, { type: 'endorseEarlyAdvice', requestId }, { withoutDocument: true });
    expect(endorsed).toMatchObject({ stage: 'ea-triage', referredToCps: true, holder: { organisation: 'cps', role: 'triage' } });
    expect(endorsed.clocks.map((c) => c.name)).toEqual(expect.arrayContaining(['earlyAdvice.triage', 'earlyAdvice.advice']));
    const accepted = await kase.send(dcp, { type: 'triageEarlyAdvice', requestId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true });
    expect(accepted).toMatchObject({ stage: 'ea-in-progress', holder: { role: 'prosecutor', personId: prosecutor.id } });

    const actionPlan = await plan([{ owner: 'police', decisionCritical: true }, { owner: 'cps', decisionCritical: false }]);
    const advised = await kase.send(prosecutor, { type: 'recordEarlyAdvice', requestId, actionPlan });
    expect(advised.stage).toBe('action-plan-open');
    expect(advised.clocks.filter((c) => c.name === 'actionPlan.item')).toHaveLength(2);
    expect(advised.clocks.some((c) => c.name.startsWith('earlyAdvice.'))).toBe(false);

    const [policeAction, cpsAction] = actionPlan.actions;
    expect((await kase.refused(prosecutor, { type: 'completeAction', actionId: policeAction.actionId })).type).toBe('IllegalTransition');
    await kase.send(officer, { type: 'completeAction', actionId: policeAction.actionId });
    const planDone = await kase.send(prosecutor, { type: 'completeAction', actionId: cpsAction.actionId });
    expect(planDone.actionPlans[0].status).toBe('awaiting-review');
    expect(planDone.clocks.filter((c) => c.name === 'actionPlan.item')).toHaveLength(0);
    expect((await kase.send(prosecutor, { type: 'reviewActionPlan', planId: actionPlan.planId, outcome: 'ready-to-submit' }, { withoutDocument: true })).stage).toBe('file-build');

    const submissionId = randomUUID();
    const submitted = await kase.send(officer, { type: 'submitFile', submissionId, test: 'full-code', category: 'green', checklist: fullChecklist });
    expect(submitted).toMatchObject({ stage: 'file-build', holder: { role: 'gatekeeper' } });
    expect((await kase.send(ds, { type: 'approveSubmission', submissionId }, { withoutDocument: true })).stage).toBe('charging-submitted');
    const review = await kase.send(dcp, { type: 'triageSubmission', submissionId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true });
    expect(review).toMatchObject({ stage: 'cps-review', holder: { personId: prosecutor.id } });
    expect(review.clocks.map((c) => c.name)).toContain('charging.decision');
    const charged = await kase.send(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'charge' });
    expect(charged).toMatchObject({ stage: 'charged', outcomeCode: 1 });
    // Every pipeline clock stops; the victim must now hear of the charge within a working day.
    expect(charged.clocks.map((c) => c.name)).toEqual(['victim.keyEventUpdate']);

    const types = recorded.transitions.filter((t) => t.caseId === kase.registration.caseId).map((t) => t.event.type);
    expect(types).toEqual([
      'early-advice-requested', 'early-advice-endorsed', 'early-advice-accepted', 'early-advice-recorded', 'action-completed', 'action-completed',
      'action-plan-reviewed', 'file-submitted', 'submission-approved', 'submission-accepted', 'charge-authorised',
    ]);
    await kase.saveHistory('ea-action-plan-charge');
  });

  it('records a coded Early Advice rejection and lets only an Inspector or above appeal it, once', async () => {
    const kase = await TestCase.start(context.env);
    const requestId = randomUUID();
    await kase.send(ds, { type: 'requestEarlyAdvice', requestId }); // a supervisor's own request is endorsed already
    expect((await kase.view()).stage).toBe('ea-triage');
    expect((await kase.refused(dcp, { type: 'triageEarlyAdvice', requestId, decision: 'reject', reasons: [] }, { withoutDocument: true })).type).toBe('InvalidCommand');
    const rejected = await kase.send(dcp, { type: 'triageEarlyAdvice', requestId, decision: 'reject', reasons: ['no-mg3', 'missing-exhibits'] }, { withoutDocument: true });
    expect(rejected.stage).toBe('investigating');
    expect(rejected.earlyAdvice[0].rejection).toEqual({ reasons: ['no-mg3', 'missing-exhibits'], respondBy: expect.any(String) });
    expect(rejected.clocks.map((c) => c.name)).toContain('earlyAdvice.policeResponse');

    expect(await kase.refused(ds, { type: 'appealEarlyAdviceRejection', requestId })).toEqual({ type: 'IllegalTransition', message: 'Appealing an Early Advice rejection needs a DI or above' });
    expect((await kase.send(di, { type: 'appealEarlyAdviceRejection', requestId })).stage).toBe('ea-triage');
    await kase.send(dcp, { type: 'triageEarlyAdvice', requestId, decision: 'reject', reasons: ['advice-not-needed'] }, { withoutDocument: true });
    expect((await kase.refused(di, { type: 'appealEarlyAdviceRejection', requestId })).message).toMatch(/already been appealed/);
    await kase.saveHistory('ea-rejected-appealed');
  });

  it('records Early Advice not sought only with a reason, and then refuses a request', async () => {
    const kase = await TestCase.start(context.env);
    expect((await kase.refused(officer, { type: 'recordEarlyAdviceNotSought' }, { withoutDocument: true })).type).toBe('InvalidCommand');
    const view = await kase.send(officer, { type: 'recordEarlyAdviceNotSought' });
    expect(view.earlyAdviceNotSought).toBe(true);
    expect(view.clocks.map((c) => c.name)).not.toContain('earlyAdvice.consider');
  });

  it('guards the charging submission: test, checklist, gatekeeper and returns', async () => {
    const kase = await TestCase.start(context.env);
    const submissionId = randomUUID();
    expect((await kase.refused(officer, { type: 'submitFile', submissionId, test: 'threshold', category: 'green', checklist: fullChecklist })).type).toBe('InvalidCommand');
    const partial = { ...fullChecklist, disclosureSchedules: false };
    expect((await kase.refused(officer, { type: 'submitFile', submissionId, test: 'full-code', category: 'green', checklist: partial })).message).toMatch(/disclosureSchedules/);
    await kase.send(ds, { type: 'submitFile', submissionId, test: 'full-code', category: 'green-priority', checklist: fullChecklist });
    expect((await kase.refused(ds, { type: 'approveSubmission', submissionId }, { withoutDocument: true })).message).toMatch(/must not be the person who submitted/);
    expect((await kase.refused(officer, { type: 'approveSubmission', submissionId }, { withoutDocument: true })).message).toMatch(/needs a DS or above/);
    expect((await kase.refused(dcp, { type: 'triageSubmission', submissionId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true })).type).toBe('IllegalTransition');
    await kase.send(di, { type: 'returnSubmission', submissionId, reasons: ['nfs-incomplete'] }, { withoutDocument: true });

    const second = randomUUID();
    await kase.send(officer, { type: 'submitFile', submissionId: second, test: 'full-code', category: 'green', checklist: fullChecklist });
    await kase.send(ds, { type: 'approveSubmission', submissionId: second }, { withoutDocument: true });
    const returned = await kase.send(dcp, { type: 'triageSubmission', submissionId: second, decision: 'return', reasons: ['key-evidence-missing'] }, { withoutDocument: true });
    expect(returned.stage).toBe('file-build');
    expect(returned.clocks.map((c) => c.name)).not.toContain('charging.decision');
  });

  it('refuses a CPS NFA in a rape case without a pre-NFA meeting, then confirms it, notifies, closes and reopens', async () => {
    const kase = await TestCase.start(context.env);
    const submissionId = await toCpsReview(kase);
    expect((await kase.refused(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'nfa', nfaGround: 'evidential' })).message).toMatch(/pre-NFA meeting/);
    const meeting = new Date((await context.env.currentTimeMs()) - DAY).toISOString();
    const nfa = await kase.send(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'nfa', nfaGround: 'evidential', preNfaMeetingAt: meeting });
    expect(nfa).toMatchObject({ stage: 'nfa-confirmed', outcomeCode: 15 });
    expect(nfa.clocks.map((c) => c.name)).toEqual(['nfa.victimNotification']);
    expect((await kase.refused(ds, { type: 'closeCase' }, { withoutDocument: true })).message).toMatch(/not yet been told/);
    await kase.send(officer, { type: 'recordVictimContact', kind: 'nfa-notification' });
    expect((await kase.send(ds, { type: 'closeCase' }, { withoutDocument: true })).stage).toBe('closed');
    expect((await kase.refused(officer, { type: 'reopenCase', ground: 'new-evidence' })).message).toMatch(/needs a DS/);
    const reopened = await kase.send(ds, { type: 'reopenCase', ground: 'new-evidence' });
    expect(reopened.stage).toBe('investigating');
    expect(reopened.outcomeCode).toBeUndefined();
    expect(reopened.clocks.map((c) => c.name)).toEqual(['victim.routineUpdate']);
    await kase.saveHistory('cps-nfa-closed-reopened');
  });

  it('needs a recorded DCP review for a second action plan after a full code submission', async () => {
    const kase = await TestCase.start(context.env);
    let submissionId = await toCpsReview(kase);
    const first = await plan([{ owner: 'police', decisionCritical: true }]);
    expect((await kase.send(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'action-plan', actionPlan: first })).stage).toBe('action-plan-open');
    expect((await kase.refused(officer, { type: 'submitFile', submissionId: randomUUID(), test: 'full-code', category: 'green', checklist: fullChecklist })).message).toMatch(/decision-critical police action/);
    await kase.send(officer, { type: 'completeAction', actionId: first.actions[0].actionId });
    submissionId = await toCpsReview(kase);

    const second = await plan([{ owner: 'police', decisionCritical: false }]);
    expect((await kase.refused(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'action-plan', actionPlan: second })).message).toMatch(/DCP review/);
    const notADcp = randomUUID();
    expect((await kase.refused(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'action-plan', actionPlan: second, dcpReviewerId: notADcp }, { namedRanks: { [notADcp]: 'Prosecutor' } })).message).toMatch(/must be a DCP/);
    const view = await kase.send(prosecutor, { type: 'recordChargingDecision', submissionId, decision: 'action-plan', actionPlan: second, dcpReviewerId: dcp.id }, { namedRanks: { [dcp.id]: 'DCP' } });
    expect(view.actionPlans).toHaveLength(2);
    await kase.saveHistory('second-action-plan-dcp-review');
  });

  it('handles a victim withdrawal: re-engagement returns the case, outcome 16 finalises it', async () => {
    const kase = await TestCase.start(context.env);
    const requestId = randomUUID();
    await kase.send(officer, { type: 'requestEarlyAdvice', requestId });
    expect((await kase.send(officer, { type: 'recordVictimWithdrawal' })).stage).toBe('victim-disengaging');
    expect((await kase.refused(officer, { type: 'reviewVictimWithdrawal', decision: 're-engaged' })).message).toMatch(/needs a DS/);
    expect((await kase.send(ds, { type: 'reviewVictimWithdrawal', decision: 're-engaged' })).stage).toBe('ea-requested');
    await kase.send(officer, { type: 'recordVictimWithdrawal' });
    expect(await kase.send(ds, { type: 'reviewVictimWithdrawal', decision: 'nfa' })).toMatchObject({ stage: 'nfa-confirmed', outcomeCode: 16 });
    await kase.saveHistory('victim-withdrawal-outcome-16');
  });

  it('lets a police supervisor take NFA and the CPS administratively finalise a referred case', async () => {
    const policeNfa = await TestCase.start(context.env);
    expect((await policeNfa.refused(officer, { type: 'recordPoliceNfa', outcomeCode: 15 })).message).toMatch(/needs a DS/);
    expect(await policeNfa.send(ds, { type: 'recordPoliceNfa', outcomeCode: 15 })).toMatchObject({ stage: 'nfa-confirmed', outcomeCode: 15 });

    const finalised = await TestCase.start(context.env);
    expect((await finalised.refused(dcp, { type: 'adminFinalise' })).message).toMatch(/referred to the CPS/);
    const requestId = randomUUID();
    await finalised.send(ds, { type: 'requestEarlyAdvice', requestId });
    await finalised.send(dcp, { type: 'triageEarlyAdvice', requestId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true });
    await finalised.send(prosecutor, { type: 'recordEarlyAdvice', requestId, actionPlan: await plan([{ owner: 'police', decisionCritical: true }]) });
    expect((await finalised.refused(prosecutor, { type: 'adminFinalise' })).message).toMatch(/needs a DCP/);
    expect((await finalised.send(dcp, { type: 'adminFinalise' })).stage).toBe('admin-finalised');
  });

  it('refuses commands that do not fit the stage, and changes nothing when it does', async () => {
    const kase = await TestCase.start(context.env);
    const before = await kase.view();
    for (const [actor, command] of [
      [ds, { type: 'endorseEarlyAdvice', requestId: randomUUID() }],
      [prosecutor, { type: 'recordChargingDecision', submissionId: randomUUID(), decision: 'charge' }],
      [ds, { type: 'closeCase' }],
      [ds, { type: 'reviewVictimWithdrawal', decision: 'nfa' }],
      [officer, { type: 'completeAction', actionId: randomUUID() }],
      [dcp, { type: 'triageEarlyAdvice', requestId: randomUUID(), decision: 'accept', prosecutorId: prosecutor.id }],
    ] as const) {
      expect((await kase.refused(actor, command)).type).toBe('IllegalTransition');
    }
    expect(await kase.view()).toEqual(before);
  });

  it('carries stage, open items and clocks through continue-as-new, and the clocks still fire once, on time', async () => {
    const kase = await TestCase.start(context.env, { historyLimit: 40 });
    const firstRun = (await kase.handle.describe()).runId;
    const requestId = randomUUID();
    await kase.send(ds, { type: 'requestEarlyAdvice', requestId });
    await kase.send(dcp, { type: 'triageEarlyAdvice', requestId, decision: 'accept', prosecutorId: prosecutor.id }, { withoutDocument: true });
    const actionPlan = await plan([{ owner: 'police', decisionCritical: true, inDays: 10 }]);
    const before = await kase.send(prosecutor, { type: 'recordEarlyAdvice', requestId, actionPlan });
    for (let i = 0; i < 6; i += 1) await kase.send(officer, { type: 'recordVictimContact', kind: 'routine-update' });

    await context.env.sleep(60_000);
    const afterRun = await kase.handle.describe();
    expect(afterRun.runId).not.toBe(firstRun);
    const after = await kase.view();
    expect(after.stage).toBe(before.stage);
    expect(after.actions).toEqual(before.actions);
    expect(after.clocks.find((c) => c.name === 'actionPlan.item')).toEqual(before.clocks.find((c) => c.name === 'actionPlan.item'));

    // Due in 10 days: the DS escalation (+1 day) fires exactly once, from the new run.
    await context.env.sleep(12 * DAY);
    const itemNotices = recorded.notices.filter((n) => n.caseId === kase.registration.caseId && n.clock?.name === 'actionPlan.item');
    const due = Date.parse(actionPlan.actions[0].dueAt);
    expect(itemNotices.map((n) => ({ to: n.recipients, at: Math.round((n.at - due) / DAY) }))).toEqual([
      { to: ['officer'], at: -7 },
      { to: ['police:DS'], at: 1 },
    ]);
  });
});
