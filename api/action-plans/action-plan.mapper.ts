import { randomUUID } from 'node:crypto';
import type { NewActionPlan } from '../../workflows/contracts';
import { ApiError } from '../common/api-error';
import type { ActionPlanDto } from '../early-advice/early-advice.dto';

/**
 * Gives a submitted plan and its actions their ids: the workflow gets ids, owners and dates; the text goes to the
 * document. An imported plan takes the ids its import derives and is checked against the time it was set.
 */
export function toActionPlan(dto: ActionPlanDto, at: { now?: number; id?: () => string } = {}): { plan: NewActionPlan; document: object } {
  const id = at.id ?? randomUUID;
  const now = at.now ?? Date.now();
  const planId = id();
  const actions = dto.actions.map((a) => ({ ...a, actionId: id(), dueAt: new Date(a.dueAt).toISOString() }));
  actions.forEach((a, i) => {
    if (Date.parse(a.dueAt) <= now) throw ApiError.unprocessable('An action is due in the past.', [{ field: `actionPlan.actions.${i}.dueAt`, problem: 'must be in the future' }]);
  });
  return {
    plan: { planId, actions: actions.map(({ actionId, owner, dueAt, decisionCritical }) => ({ actionId, owner, dueAt, decisionCritical })) },
    document: { planId, actions: actions.map(({ actionId, description, reason, owner, dueAt, decisionCritical }) => ({ actionId, description, reason, owner, dueAt, decisionCritical })) },
  };
}
