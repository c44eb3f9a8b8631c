import { randomUUID } from 'node:crypto';
import type { NewActionPlan } from '../../workflows/contracts';
import { ApiError } from '../common/api-error';
import type { ActionPlanDto } from '../early-advice/early-advice.dto';

/** Gives a submitted plan and its actions their ids: the workflow gets ids, owners and dates; the text goes to the document. */
export function toActionPlan(dto: ActionPlanDto): { plan: NewActionPlan; document: object } {
  const planId = randomUUID();
  const actions = dto.actions.map((a) => ({ ...a, actionId: randomUUID(), dueAt: new Date(a.dueAt).toISOString() }));
  actions.forEach((a, i) => {
    if (Date.parse(a.dueAt) <= Date.now()) throw ApiError.unprocessable('An action is due in the past.', [{ field: `actionPlan.actions.${i}.dueAt`, problem: 'must be in the future' }]);
  });
  return {
    plan: { planId, actions: actions.map(({ actionId, owner, dueAt, decisionCritical }) => ({ actionId, owner, dueAt, decisionCritical })) },
    document: { planId, actions: actions.map(({ actionId, description, reason, owner, dueAt, decisionCritical }) => ({ actionId, description, reason, owner, dueAt, decisionCritical })) },
  };
}
