import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { PanelChaseInput } from '../../activities/panels';
import { loadPolicy } from '../../policy/load-policy';
import { DateTime } from 'luxon';
import type { panelWorkflow } from '../../workflows/panel.workflow';
import type { panelScheduleWorkflow } from '../../workflows/panel-schedule.workflow';
import {
  learningActionClosedSignal, learningActionSetSignal, panelClosedSignal, panelSampleUpdate, panelScheduleWorkflowId, panelWorkflowId, referralAnsweredSignal, referralRecommendedSignal, TASK_QUEUE,
} from '../../workflows/contracts';
import { createTimeSkippingEnv, saveHistory, workflowBundle, workflowSinks } from '../support/time-skipping';

const DAY = 86_400_000;
const policy = loadPolicy();

/**
 * One panel's workflow on Temporal's time-skipping server, its activities recorded: a learning action's clock reminds
 * the owner and climbs the owner's chain, each step once, and stops when it is closed; a recommended referral becomes
 * the DCI's task and is chased until the DCI records what was done; the report goes once, when the panel closes.
 */
describe('a scrutiny panel\'s clocks (time skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const chases: (PanelChaseInput & { id: string; at: number })[] = [];
  const referrals: { reviewId: string; dueAt: string }[] = [];
  const reports: string[] = [];
  const scheduled: { scheduleId: string; occurrence: string; sittingAt: string; periodFrom: string; at: number; panelId: string }[] = [];

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    worker = await Worker.create({
      connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: await workflowBundle(), sinks: workflowSinks,
      activities: {
        drawPanelSample: async () => ({ rulesVersion: policy.panels!.version, strata: [{ code: 'police-nfa', population: 3, drawn: 3, empty: false }] }),
        chaseLearningAction: async (input: PanelChaseInput & { actionId: string }) => { chases.push({ ...input, id: input.actionId, at: await env.currentTimeMs() }); return { sent: 1 }; },
        recordPanelReferral: async (input: { reviewId: string; dueAt: string }) => { referrals.push(input); return { answered: false }; },
        chasePanelReferral: async (input: PanelChaseInput & { reviewId: string }) => { chases.push({ ...input, id: input.reviewId, at: await env.currentTimeMs() }); return { sent: 1 }; },
        alertPackWithheld: async () => ({ sent: 0 }),
        recordScheduledPanel: async (input: { scheduleId: string; occurrence: string; sittingAt: string; periodFrom: string }) => {
          const panelId = randomUUID();
          scheduled.push({ ...input, at: await env.currentTimeMs(), panelId });
          return { panelId };
        },
        sendPanelReport: async ({ panelId }: { panelId: string }) => { reports.push(panelId); return { sent: 2 }; },
      },
    });
    running = worker.run();
  }, 60_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  async function convene() {
    const panelId = randomUUID();
    const handle = await env.client.workflow.start<typeof panelWorkflow>('panelWorkflow', { workflowId: panelWorkflowId(panelId), taskQueue: TASK_QUEUE, args: [{ panelId, policy }] });
    const sample = await handle.executeUpdate(panelSampleUpdate);
    return { panelId, handle, sample };
  }

  it('reminds a learning action\'s owner, climbs their chain once per step, and stops when it is closed', async () => {
    const { panelId, handle, sample } = await convene();
    expect(sample.strata).toEqual([{ code: 'police-nfa', population: 3, drawn: 3, empty: false }]);
    const actionId = randomUUID();
    const dueAt = new Date((await env.currentTimeMs()) + 10 * DAY).toISOString();
    await handle.signal(learningActionSetSignal, { actionId, dueAt });
    await handle.signal(learningActionSetSignal, { actionId, dueAt }); // a repeated signal arms nothing twice
    await env.sleep(30 * DAY);
    const fired = chases.filter((c) => c.id === actionId);
    expect(fired.map(({ step, kind, to }) => ({ step, kind, to }))).toEqual([
      { step: 0, kind: 'reminder', to: ['owner'] },
      { step: 1, kind: 'escalation', to: ['owner'] },
      { step: 2, kind: 'escalation', to: ['police:DI', 'cps:DCP'] },
      { step: 3, kind: 'escalation', to: ['police:DCI', 'cps:SDCP'] },
    ]);
    expect(fired[0].at).toBeGreaterThanOrEqual(Date.parse(dueAt) - 7 * DAY - 1_000);
    expect(fired[1].at).toBeGreaterThanOrEqual(Date.parse(dueAt) + DAY - 1_000);
    await handle.signal(panelClosedSignal);
    await env.sleep(DAY);
    expect(reports).toEqual([panelId]);
    await handle.signal(learningActionClosedSignal, { actionId });
    await handle.result();
    await saveHistory(handle, 'panel-learning-action');
    expect(chases.filter((c) => c.id === actionId)).toHaveLength(4);
  });

  it('gives a recommended referral to the DCI, chases it, and stops once the DCI records what was done', async () => {
    const { panelId, handle } = await convene();
    const reviewId = randomUUID();
    const started = await env.currentTimeMs();
    await handle.signal(referralRecommendedSignal, { reviewId });
    await env.sleep(23 * DAY);
    expect(referrals).toEqual([{ panelId, reviewId, dueAt: expect.any(String) }]);
    expect(Date.parse(referrals[0].dueAt) - started).toBeGreaterThanOrEqual(28 * DAY - 1_000);
    expect(chases.filter((c) => c.id === reviewId).map(({ step, kind, to }) => ({ step, kind, to }))).toEqual([{ step: 0, kind: 'reminder', to: ['owner'] }]);
    await handle.signal(referralAnsweredSignal, { reviewId });
    await handle.signal(panelClosedSignal);
    await handle.result();
    await saveHistory(handle, 'panel-referral');
    await env.sleep(30 * DAY);
    expect(chases.filter((c) => c.id === reviewId)).toHaveLength(1);
    expect(reports).toContain(panelId);
  });

  it('makes a panel a lead time before each quarterly sitting, over the period before it, and starts its workflow', async () => {
    const scheduleId = randomUUID();
    const first = DateTime.fromMillis((await env.currentTimeMs()) + 10 * DAY, { zone: 'Europe/London' }).toFormat("yyyy-LL-dd'T'10:00");
    await env.client.workflow.start<typeof panelScheduleWorkflow>('panelScheduleWorkflow', {
      workflowId: panelScheduleWorkflowId(scheduleId), taskQueue: TASK_QUEUE,
      args: [{ spec: { scheduleId, firstSittingAt: first, timezone: 'Europe/London', rrule: policy.panels!.cadence, leadTime: 'P7D' }, policy }],
    });
    await env.sleep(2 * DAY);
    expect(scheduled.filter((s) => s.scheduleId === scheduleId)).toEqual([]);
    await env.sleep(100 * DAY);
    const made = scheduled.filter((s) => s.scheduleId === scheduleId);
    expect(made).toHaveLength(2);
    for (const panel of made) {
      expect(panel.at).toBeGreaterThanOrEqual(Date.parse(panel.sittingAt) - 7 * DAY - 1_000);
      expect(panel.at).toBeLessThan(Date.parse(panel.sittingAt));
      expect(DateTime.fromISO(panel.periodFrom, { zone: 'Europe/London' }).plus({ months: 3 }).toMillis()).toBe(Date.parse(panel.sittingAt));
      expect(DateTime.fromISO(panel.sittingAt, { zone: 'Europe/London' }).toFormat('HH:mm')).toBe('10:00');
      const sample = await env.client.workflow.getHandle(panelWorkflowId(panel.panelId)).executeUpdate(panelSampleUpdate);
      expect(sample.rulesVersion).toBe(policy.panels!.version);
    }
    expect(DateTime.fromISO(made[1].occurrence).diff(DateTime.fromISO(made[0].occurrence), 'months').months).toBeCloseTo(3, 0);
  });
});
