import type { CaseCommandInput } from '../contracts/commands';
import { actionPlanHandlers } from './action-plans';
import { chargingHandlers } from './charging';
import { clinicHandlers } from './clinic';
import { clockHandlers } from './clocks';
import { custodyHandlers } from './custody';
import type { DecisionContext, Handlers, Outcome } from './decide';
import { detentionHandlers } from './detention';
import { earlyAdviceHandlers } from './early-advice';
import { outcomeHandlers } from './outcomes';
import { reviewHandlers } from './reviews';
import type { CaseState } from './state';
import { victimHandlers } from './victim';

const handlers: Handlers = {
  ...earlyAdviceHandlers, ...actionPlanHandlers, ...chargingHandlers, ...victimHandlers, ...outcomeHandlers, ...clockHandlers, ...custodyHandlers, ...detentionHandlers, ...reviewHandlers, ...clinicHandlers,
};

/**
 * Applies one command to the case state, or throws a typed ApplicationFailure saying why it cannot happen.
 * Pure and deterministic: the update validator dry-runs it on a copy, the handler runs it for real.
 */
export function decide(state: CaseState, input: CaseCommandInput, ctx: Omit<DecisionContext, 'input'>): Outcome {
  const handler = handlers[input.command.type] as (s: CaseState, c: CaseCommandInput['command'], x: DecisionContext) => Outcome;
  return handler(state, input.command, { ...ctx, input });
}
