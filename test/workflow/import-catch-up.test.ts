import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadPolicy } from '../../policy/load-policy';
import { caseWorkflow } from '../../workflows';
import { type CaseRegistration, caseWorkflowId, TASK_QUEUE } from '../../workflows/contracts';
import { replayCase } from '../../workflows/pipeline/replay';
import { actors, DAY, withTimeSkippingWorker } from '../support/case-harness';

/** The import's policy: an action-plan ladder whose DI step covers 14 to 28 days overdue, the DCI's at 28. */
const policy = loadPolicy(join(__dirname, '..', 'fixtures', 'import-policy.json'));

/**
 * A case brought in with an action 20 days overdue: its past replayed through the case's rules puts the clock at the
 * DI step without sending anything, and the running workflow started from that state fires the next step (the DCI's,
 * 28 days after the due date) on time, and nothing before it.
 */
describe('an imported case catches up without a storm (time skipping)', () => {
  const ctx = withTimeSkippingWorker();

  it('sits at the DI step at import and escalates to the DCI 8 days later, not before', async () => {
    const now = await ctx.env.currentTimeMs();
    const ago = (days: number) => new Date(now - days * DAY).toISOString();
    const caseId = randomUUID();
    const requestId = randomUUID();
    const actionId = randomUUID();
    const registration: CaseRegistration = {
      caseId, urn: '45XY1234526', unit: 'unit-a', officerId: actors.officer.id, offence: { type: 'rape', penetrative: true, committedFrom: ago(70).slice(0, 10) },
      reportedAt: ago(60), victim: { partyId: randomUUID(), vulnerable: true }, suspectPartyIds: [randomUUID()], registeredBy: { id: actors.ds.id, role: 'supervisor' },
    };
    const doc = () => ({ documentId: randomUUID() });
    const replay = replayCase(registration, policy, [
      { at: ago(50), input: { command: { type: 'requestEarlyAdvice', requestId }, actor: actors.ds, ...doc() } },
      { at: ago(49), input: { command: { type: 'triageEarlyAdvice', requestId, decision: 'accept', prosecutorId: actors.prosecutor.id }, actor: actors.dcp } },
      { at: ago(40), input: { command: { type: 'recordEarlyAdvice', requestId, actionPlan: { planId: randomUUID(), actions: [{ actionId, owner: 'police', dueAt: ago(20), decisionCritical: true }] } }, actor: actors.prosecutor, ...doc() } },
    ], new Date(now).toISOString());
    if (!replay.ok) throw new Error(replay.reason);
    const clock = replay.state.clocks.find((c) => c.key === `actionPlan.item:${actionId}`)!;
    expect(clock.stepsFired).toBe(3);
    expect(clock.firings.every((f) => f.caughtUp)).toBe(true);
    expect(replay.overdue.find((o) => o.clockKey === clock.key)).toMatchObject({ step: 2, kind: 'escalation', recipients: ['officer', 'police:DS', 'police:DI'], owner: 'police' });

    await ctx.env.client.workflow.start(caseWorkflow, { workflowId: caseWorkflowId(caseId), taskQueue: TASK_QUEUE, args: [{ registration, policy, carried: replay.state }] });
    await ctx.env.sleep(7 * DAY);
    const forAction = () => ctx.recorded.notices.filter((n) => n.caseId === caseId && n.task?.clockKey === clock.key);
    expect(forAction()).toEqual([]);
    await ctx.env.sleep(1 * DAY + 60_000);
    const fired = forAction();
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ recipients: ['police:DCI'], clock: { step: 3 } });
    // On time: 28 days after the due date, within the minute the sleep overshot.
    expect(fired[0].at - Date.parse(ago(20))).toBeGreaterThanOrEqual(28 * DAY);
    expect(fired[0].at - Date.parse(ago(20))).toBeLessThan(28 * DAY + 60_000);
  }, 120_000);
});
