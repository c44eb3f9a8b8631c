import { addPolicyDuration } from '../clocks/calendar';
import type { NewActionPlan } from '../contracts/commands';
import type { DecisionContext, Handlers } from './decide';
import { armClock, disarmClock, find, invalid, moveTo, refuse, requireDocument, requireOrganisation, requireStage } from './decide';
import type { CaseState } from './state';

/** Opens a plan with agreed due dates; each action gets its own clock (policy `actionPlan.item`). */
export function openActionPlan(state: CaseState, ctx: DecisionContext, plan: NewActionPlan, source: 'early-advice' | 'charging-decision', afterFullCodeSubmission: boolean): void {
  if (!plan.actions.length) invalid('An action plan needs at least one action');
  if (state.actionPlans.some((p) => p.id === plan.planId)) refuse('That action plan already exists');
  for (const action of plan.actions) {
    if (Date.parse(action.dueAt) <= Date.parse(ctx.now)) invalid(`Action ${action.actionId} is due in the past: agree a future date`);
    if (state.actions.some((a) => a.id === action.actionId)) refuse(`Action ${action.actionId} already exists`);
  }
  state.actionPlans.push({ id: plan.planId, source, status: 'open', createdAt: ctx.now, documentId: ctx.input.documentId, afterFullCodeSubmission });
  for (const action of plan.actions) {
    state.actions.push({ id: action.actionId, planId: plan.planId, owner: action.owner, dueAt: action.dueAt, decisionCritical: action.decisionCritical, status: 'open' });
    armClock(state, ctx, 'actionPlan.item', action.actionId, action.dueAt);
  }
  // T9: a plan left unanswered is warned about, then put to a DCP for administrative finalisation,
  // counted from its last agreed due date (added after cases were in flight).
  const unanswered = ctx.policy.clocks['actionPlan.unanswered'];
  if (unanswered && ctx.patched('action-plan-unanswered-clock')) {
    const lastDue = plan.actions.map((a) => a.dueAt).sort().at(-1)!;
    armClock(state, ctx, 'actionPlan.unanswered', plan.planId, addPolicyDuration(lastDue, unanswered.due, ctx.policy));
  }
}

export function openDecisionCriticalActions(state: CaseState, owner?: 'police' | 'cps') {
  return state.actions.filter((a) => a.status === 'open' && a.decisionCritical && (!owner || a.owner === owner));
}

/** Action plans (domain.md §2.4, S5–S6): actions completed by their owner, the plan reviewed by the CPS. */
export const actionPlanHandlers: Pick<Handlers, 'completeAction' | 'reviewActionPlan'> = {
  completeAction(state, command, ctx) {
    const { actor } = ctx.input;
    const action = find(state.actions, command.actionId, 'Action');
    if (action.status !== 'open') refuse('That action is already complete');
    if (actor.organisation !== action.owner) refuse(`That action belongs to the ${action.owner === 'cps' ? 'CPS' : 'police'}`);
    requireDocument(ctx, 'Completing an action');
    action.status = 'done';
    action.completedAt = ctx.now;
    disarmClock(state, ctx, 'actionPlan.item', action.id);
    const plan = find(state.actionPlans, action.planId, 'Action plan');
    const planDone = state.actions.filter((a) => a.planId === plan.id).every((a) => a.status === 'done');
    if (planDone) {
      plan.status = 'awaiting-review';
      disarmClock(state, ctx, 'actionPlan.unanswered', plan.id);
    }
    return {
      eventType: 'action-completed', data: { actionId: action.id, planId: plan.id, planComplete: planDone },
      notices: planDone ? [{ purpose: 'review-plan', recipients: ['prosecutor'], headline: 'Every action on the plan is complete: review it' }] : [],
    };
  },

  reviewActionPlan(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'cps', 'Reviewing an action plan');
    requireStage(state, ['action-plan-open', 'clinic-review'], 'Reviewing an action plan');
    const plan = find(state.actionPlans, command.planId, 'Action plan');
    if (plan.status === 'reviewed') refuse('That action plan has already been reviewed');
    if (command.outcome === 'ready-to-submit') {
      const outstanding = openDecisionCriticalActions(state).filter((a) => a.planId === plan.id);
      if (outstanding.length) refuse(`${outstanding.length} decision-critical action(s) are still open`);
      plan.status = 'reviewed';
      disarmClock(state, ctx, 'actionPlan.unanswered', plan.id);
      for (const action of state.actions.filter((a) => a.planId === plan.id && a.status === 'open')) disarmClock(state, ctx, 'actionPlan.item', action.id);
      moveTo(state, 'file-build');
      return {
        eventType: 'action-plan-reviewed', data: { planId: plan.id, outcome: command.outcome },
        notices: [{ purpose: 'plan-reviewed', recipients: ['officer', 'police:DS'], headline: 'The CPS reviewed the action plan: the file is ready to build and submit' }],
      };
    }
    return {
      eventType: 'action-plan-reviewed', data: { planId: plan.id, outcome: command.outcome },
      notices: [{ purpose: 'plan-continues', recipients: ['officer'], headline: 'The CPS reviewed the action plan: work continues' }],
    };
  },
};
