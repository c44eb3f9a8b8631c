import type { Handlers } from './decide';
import { armClock, disarmAll, moveTo, refuse, requireDocument, requireOrganisation, requireRank, requireStage } from './decide';
import { DECIDED_STAGES, OPEN_STAGES } from './state';

/** Victim withdrawal (outcome 16), police NFA, administrative finalisation, closure and reopening. */
export const outcomeHandlers: Pick<Handlers, 'recordVictimWithdrawal' | 'reviewVictimWithdrawal' | 'recordPoliceNfa' | 'adminFinalise' | 'closeCase' | 'reopenCase'> = {
  recordVictimWithdrawal(state, _command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Recording a victim withdrawal');
    requireStage(state, OPEN_STAGES, 'Recording a victim withdrawal');
    requireDocument(ctx, "A record of the victim's wishes");
    state.stageBeforeWithdrawal = state.stage;
    moveTo(state, 'victim-disengaging');
    return {
      eventType: 'victim-withdrawal-recorded', data: { from: state.stageBeforeWithdrawal },
      notices: [{ purpose: 'review-withdrawal', recipients: ['police:DS'], headline: 'The victim has withdrawn support: review the case (evidence-led options, outcome 16)' }],
    };
  },

  reviewVictimWithdrawal(state, command, ctx) {
    const { actor } = ctx.input;
    requireOrganisation(actor, 'police', 'Reviewing a victim withdrawal');
    requireRank(actor, 'DS', 'Reviewing a victim withdrawal');
    requireStage(state, ['victim-disengaging'], 'Reviewing a victim withdrawal');
    requireDocument(ctx, 'A supervisor review of the withdrawal');
    if (command.decision === 'nfa') {
      state.outcomeCode = 16;
      disarmAll(state, ctx);
      state.nfaAt = ctx.now;
      armClock(state, ctx, 'nfa.victimNotification', ctx.registration.caseId);
      moveTo(state, 'nfa-confirmed');
      return { eventType: 'police-nfa', reason: 'victim withdrew support (outcome 16)', data: { outcomeCode: 16 }, notices: [{ purpose: 'decision', recipients: ['officer'], headline: 'The case is finalised as outcome 16 (victim withdrew support)' }] };
    }
    const back = state.stageBeforeWithdrawal ?? 'investigating';
    state.stageBeforeWithdrawal = undefined;
    moveTo(state, back);
    return { eventType: 'victim-withdrawal-reviewed', reason: command.decision, data: { decision: command.decision, to: back }, notices: [{ purpose: 'withdrawal-reviewed', recipients: ['officer'], headline: `Withdrawal reviewed: the investigation continues (${command.decision})` }] };
  },

  recordPoliceNfa(state, command, ctx) {
    const { actor } = ctx.input;
    requireOrganisation(actor, 'police', 'A police NFA');
    requireRank(actor, 'DS', 'A police NFA');
    requireStage(state, ['investigating', 'action-plan-open', 'file-build'], 'A police NFA');
    requireDocument(ctx, 'The rationale for no further action');
    if (state.submissions.some((s) => ['awaiting-triage', 'in-review'].includes(s.status))) refuse('The file is with the CPS: the charging decision is theirs');
    state.outcomeCode = command.outcomeCode;
    disarmAll(state, ctx);
    state.nfaAt = ctx.now;
    armClock(state, ctx, 'nfa.victimNotification', ctx.registration.caseId);
    moveTo(state, 'nfa-confirmed');
    return { eventType: 'police-nfa', data: { outcomeCode: command.outcomeCode }, notices: [{ purpose: 'decision', recipients: ['officer', 'police:DI'], headline: 'The police decided no further action: tell the victim within one working day' }] };
  },

  adminFinalise(state, _command, ctx) {
    const { actor } = ctx.input;
    requireOrganisation(actor, 'cps', 'Administrative finalisation');
    requireRank(actor, 'DCP', 'Administrative finalisation');
    requireStage(state, ['investigating', 'action-plan-open'], 'Administrative finalisation');
    if (!state.referredToCps) refuse('Only a case referred to the CPS can be administratively finalised');
    requireDocument(ctx, 'The reason for administrative finalisation');
    disarmAll(state, ctx);
    moveTo(state, 'admin-finalised');
    return { eventType: 'admin-finalised', data: {}, notices: [{ purpose: 'admin-finalised', recipients: ['officer', 'police:DS'], headline: 'The CPS administratively finalised the case; new material can reopen it' }] };
  },

  closeCase(state, _command, ctx) {
    requireStage(state, DECIDED_STAGES, 'Closing the case');
    if (ctx.input.actor.organisation === 'police') requireRank(ctx.input.actor, 'DS', 'Closing the case');
    const pending = state.clocks.find((c) => c.name === 'nfa.victimNotification' && !c.stoppedAt);
    if (pending) refuse('The victim has not yet been told of the NFA decision');
    disarmAll(state, ctx);
    moveTo(state, 'closed');
    return { eventType: 'case-closed', data: { outcomeCode: state.outcomeCode }, notices: [] };
  },

  reopenCase(state, command, ctx) {
    if (ctx.input.actor.organisation === 'police') requireRank(ctx.input.actor, 'DS', 'Reopening the case');
    requireStage(state, ['nfa-confirmed', 'admin-finalised', 'closed'], 'Reopening the case');
    requireDocument(ctx, 'The new evidence or review outcome');
    state.outcomeCode = undefined;
    armClock(state, ctx, 'victim.routineUpdate', ctx.registration.caseId);
    moveTo(state, 'investigating');
    return { eventType: 'case-reopened', reason: command.ground, data: { ground: command.ground }, notices: [{ purpose: 'reopened', recipients: ['officer', 'police:DS'], headline: 'The case has been reopened' }] };
  },
};
