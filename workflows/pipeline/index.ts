export type { DecisionContext, Notice, Outcome } from './decide';
export { copyState, newCaseState, type CaseState } from './state';
export { availableCommands } from './available';
export { decide } from './rules';
export { caseView, whatNext } from './view';
