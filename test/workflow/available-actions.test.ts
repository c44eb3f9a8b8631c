import { randomUUID } from 'node:crypto';
import { type AvailableCommand, caseActionsQuery, type CommandActor } from '../../workflows/contracts';
import { actors, futureDays, TestCase, withTimeSkippingWorker } from '../support/case-harness';

/** The case page offers exactly what the pipeline's rules would accept: the caseActions query, per person and stage. */
describe('what a person may do on a case now', () => {
  const ctx = withTimeSkippingWorker();
  const types = async (kase: TestCase, actor: CommandActor) => (await kase.handle.query(caseActionsQuery, actor)).actions.map((a: AvailableCommand) => a.type);

  it('follows the case through Early Advice: each step is offered to the person who takes it, and only to them', async () => {
    const kase = await TestCase.start(ctx.env);
    const officer = await types(kase, actors.officer);
    expect(officer).toEqual(expect.arrayContaining(['requestEarlyAdvice', 'recordEarlyAdviceNotSought', 'submitFile', 'recordVictimContact', 'recordVictimWithdrawal', 'recordBail', 'recordReleaseUnderInvestigation']));
    // A DC may not finalise a case, and nothing is with the CPS yet.
    expect(officer).not.toEqual(expect.arrayContaining(['recordPoliceNfa']));
    expect(await types(kase, actors.dcp)).not.toContain('triageEarlyAdvice');
    expect(await types(kase, actors.ds)).toContain('recordPoliceNfa');

    const requestId = randomUUID();
    await kase.send(actors.officer, { type: 'requestEarlyAdvice', requestId });
    expect(await types(kase, actors.officer)).not.toContain('endorseEarlyAdvice');
    const endorse = (await kase.handle.query(caseActionsQuery, actors.ds)).actions.find((a) => a.type === 'endorseEarlyAdvice');
    expect(endorse).toEqual({ type: 'endorseEarlyAdvice', targetId: requestId });

    await kase.send(actors.ds, { type: 'endorseEarlyAdvice', requestId });
    expect(await types(kase, actors.dcp)).toContain('triageEarlyAdvice');
    expect(await types(kase, actors.ds)).not.toContain('endorseEarlyAdvice');

    await kase.send(actors.dcp, { type: 'triageEarlyAdvice', requestId, decision: 'accept', prosecutorId: actors.prosecutor.id });
    expect(await types(kase, actors.prosecutor)).toContain('recordEarlyAdvice');
    // Another CPS lawyer below DCP is not the allocated prosecutor.
    expect(await types(kase, { ...actors.prosecutor, id: randomUUID() })).not.toContain('recordEarlyAdvice');

    const actionId = randomUUID();
    await kase.send(actors.prosecutor, { type: 'recordEarlyAdvice', requestId, actionPlan: { planId: randomUUID(), actions: [{ actionId, owner: 'police', dueAt: await futureDays(ctx.env, 14), decisionCritical: true }] } });
    const completable = (await kase.handle.query(caseActionsQuery, actors.officer)).actions.filter((a) => a.type === 'completeAction');
    expect(completable).toEqual([{ type: 'completeAction', targetId: actionId }]);
    // The CPS does not complete a police action; a decision-critical action blocks the file.
    expect(await types(kase, actors.prosecutor)).not.toContain('completeAction');
    expect(await types(kase, actors.officer)).not.toContain('submitFile');
  });

  it('offers only the Right to Review scheme that fits the decision', async () => {
    const kase = await TestCase.start(ctx.env);
    await kase.send(actors.ds, { type: 'recordPoliceNfa', outcomeCode: 15 });
    const review = (await kase.handle.query(caseActionsQuery, actors.officer)).actions.find((a) => a.type === 'requestVictimReview');
    expect(review).toEqual({ type: 'requestVictimReview', variants: ['police'] });
  });
});
