import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { PanelChaseInput } from '../../activities/panels';
import { loadPolicy } from '../../policy/load-policy';
import type { panelWorkflow } from '../../workflows/panel.workflow';
import {
  learningActionClosedSignal, learningActionSetSignal, panelClosedSignal, panelSampleUpdate, panelWorkflowId, referralAnsweredSignal, referralRecommendedSignal, TASK_QUEUE,
} from '../../workflows/contracts';
import { createTimeSkippingEnv, workflowBundle } from '../support/time-skipping';

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

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    worker = await Worker.create({
      connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: await workflowBundle(),
      activities: {
        drawPanelSample: async () => ({ rulesVersion: policy.panels!.version, strata: [{ code: 'police-nfa', population: 3, drawn: 3, empty: false }] }),
        chaseLearningAction: async (input: PanelChaseInput & { actionId: string }) => { chases.push({ ...input, id: input.actionId, at: await env.currentTimeMs() }); return { sent: 1 }; },
        recordPanelReferral: async (input: { reviewId: string; dueAt: string }) => { referrals.push(input); return { answered: false }; },
        chasePanelReferral: async (input: PanelChaseInput & { reviewId: string }) => { chases.push({ ...input, id: input.reviewId, at: await env.currentTimeMs() }); return { sent: 1 }; },
        alertPackWithheld: async () => ({ sent: 0 }),
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
    await env.sleep(30 * DAY);
    expect(chases.filter((c) => c.id === reviewId)).toHaveLength(1);
    expect(reports).toContain(panelId);
  });
});
