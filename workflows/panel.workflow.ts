import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { type ClockState, type ClockStep, runClock, startClock, stopClock } from './clocks/clock';
import { workflowNow } from './clocks/workflow-time';
import { panelRecords } from './panels/records';
import {
  learningActionClosedSignal, learningActionSetSignal, packWithheldSignal, panelClosedSignal, type PanelSampleSummary, panelSampleUpdate,
  referralAnsweredSignal, referralRecommendedSignal,
} from './contracts/panels';
import type { PolicySnapshot } from './contracts/policy';

export interface PanelWorkflowInput {
  panelId: string;
  /** The policy of the panel's force when it was convened: its panel rules draw the sample, its clocks run the actions. */
  policy: PolicySnapshot;
}

const LEARNING_ACTION = 'panel.learningAction';
const REFERRAL_OUTCOME = 'panel.referralOutcome';

/**
 * One NFA scrutiny panel, id `panel-<uuid>`: draws its sample by the policy's versioned panel rules (an activity over
 * the projections, from the panel's recorded seed), then runs what the panel sets going on the one clock mechanism:
 * each learning action (due when agreed: a reminder to the owner, then up the owner's chain) and each referral a review
 * recommends (a task for the unit's DCI, chased until they record what was done). When the panel closes its report is
 * emailed; the workflow ends once every clock has stopped.
 */
export async function panelWorkflow(input: PanelWorkflowInput): Promise<PanelSampleSummary> {
  const { panelId, policy } = input;
  if (!policy.panels) throw new TypeError(`policy ${policy.version} has no panel rules`);
  const state: { sample?: PanelSampleSummary; closed: boolean } = { closed: false };
  const clocks = new Map<string, ClockState>();
  const running: Promise<void>[] = [];
  // Work from signals runs in order on the main loop, so each activity's writes land before the next one starts.
  const queue: (() => Promise<void>)[] = [];
  const now = () => new Date(workflowNow()).toISOString();

  const arm = (clock: ClockState, fire: (clock: ClockState, step: ClockStep) => Promise<unknown>) => {
    clocks.set(clock.key, clock);
    running.push(runClock(() => clock, policy, fire));
  };
  const armed = (name: string, subjectId: string) => !policy.clocks[name] || clocks.has(`${name}:${subjectId}`);
  const stop = (key: string) => {
    const clock = clocks.get(key);
    if (clock) stopClock(clock, now());
  };

  setHandler(panelSampleUpdate, async () => {
    await condition(() => state.sample !== undefined);
    return state.sample!;
  });
  setHandler(learningActionSetSignal, ({ actionId, dueAt }) => {
    if (armed(LEARNING_ACTION, actionId)) return;
    arm(startClock(LEARNING_ACTION, actionId, now(), policy, dueAt),
      (clock, step) => panelRecords.chaseLearningAction({ panelId, actionId, step: step.index, kind: step.kind, to: step.to, dueAt: clock.dueAt }));
  });
  setHandler(learningActionClosedSignal, ({ actionId }) => stop(`${LEARNING_ACTION}:${actionId}`));
  setHandler(referralRecommendedSignal, ({ reviewId }) => {
    if (armed(REFERRAL_OUTCOME, reviewId)) return;
    // The clock is keyed by the review (one referral per review); the DCI's task is due when it is.
    const clock = startClock(REFERRAL_OUTCOME, reviewId, now(), policy);
    queue.push(async () => {
      const { answered } = await panelRecords.recordPanelReferral({ panelId, reviewId, dueAt: clock.dueAt });
      if (!answered) arm(clock, (c, step) => panelRecords.chasePanelReferral({ reviewId, step: step.index, kind: step.kind, to: step.to, dueAt: c.dueAt }));
    });
  });
  setHandler(referralAnsweredSignal, ({ reviewId }) => stop(`${REFERRAL_OUTCOME}:${reviewId}`));
  setHandler(packWithheldSignal, ({ label, kinds }) => {
    queue.push(async () => { await panelRecords.alertPackWithheld({ panelId, label, kinds }); });
  });
  setHandler(panelClosedSignal, () => { state.closed = true; });

  state.sample = await panelRecords.drawPanelSample({ panelId, rules: policy.panels });
  const { panels } = policy;
  let reported = false;
  const allStopped = () => [...clocks.values()].every((c) => c.stoppedAt);
  for (;;) {
    await condition(() => queue.length > 0 || (state.closed && !reported) || (reported && allStopped()));
    if (queue.length) {
      await queue.shift()!();
      continue;
    }
    if (state.closed && !reported) {
      await panelRecords.sendPanelReport({ panelId, rules: panels });
      reported = true;
      continue;
    }
    break;
  }
  await Promise.all(running);
  await condition(allHandlersFinished);
  return state.sample!;
}
