import type { Handlers } from './decide';
import { armClock, disarmClock, find, invalid, moveTo, rankAtLeast, refuse, requireDocument, requireOrganisation, requireRank, requireStage } from './decide';
import { addPolicyDuration } from '../clocks/calendar';
import { openActionPlan } from './action-plans';

/** Early Advice (domain.md §2.2, S2–S4): request, supervisor endorsement, CPS triage, advice; or "not sought". */
export const earlyAdviceHandlers: Pick<Handlers, 'requestEarlyAdvice' | 'endorseEarlyAdvice' | 'triageEarlyAdvice' | 'appealEarlyAdviceRejection' | 'recordEarlyAdvice' | 'recordEarlyAdviceNotSought'> = {
  requestEarlyAdvice(state, command, ctx) {
    const { actor } = ctx.input;
    requireOrganisation(actor, 'police', 'Requesting Early Advice');
    requireStage(state, ['investigating'], 'Requesting Early Advice');
    requireDocument(ctx, 'An Early Advice request');
    if (state.earlyAdvice.some((r) => r.id === command.requestId)) refuse('That Early Advice request already exists');
    if (state.earlyAdvice.some((r) => ['awaiting-endorsement', 'awaiting-triage', 'accepted'].includes(r.status))) refuse('An Early Advice request is already open on this case');
    // A supervisor's own request needs no second endorsement (triage rejects requests without supervisor comments).
    const endorsed = rankAtLeast(actor.rank, 'DS');
    state.earlyAdvice.push({ id: command.requestId, status: endorsed ? 'awaiting-triage' : 'awaiting-endorsement', requestedBy: actor.id, appealed: false });
    disarmClock(state, ctx, 'earlyAdvice.consider', ctx.registration.caseId);
    if (endorsed) return endorse(state, command.requestId, ctx);
    moveTo(state, 'ea-requested');
    return {
      eventType: 'early-advice-requested', data: { requestId: command.requestId },
      notices: [{ purpose: 'endorse-early-advice', recipients: ['police:DS'], headline: 'An Early Advice request awaits your endorsement' }],
    };
  },

  endorseEarlyAdvice(state, command, ctx) {
    const { actor } = ctx.input;
    requireOrganisation(actor, 'police', 'Endorsing an Early Advice request');
    requireRank(actor, 'DS', 'Endorsing an Early Advice request');
    requireStage(state, ['ea-requested'], 'Endorsing an Early Advice request');
    const request = find(state.earlyAdvice, command.requestId, 'Early Advice request');
    if (request.status !== 'awaiting-endorsement') refuse('That request is not awaiting endorsement');
    request.status = 'awaiting-triage';
    return endorse(state, command.requestId, ctx);
  },

  triageEarlyAdvice(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'cps', 'Triage of Early Advice');
    requireStage(state, ['ea-triage'], 'Triage of Early Advice');
    const request = find(state.earlyAdvice, command.requestId, 'Early Advice request');
    disarmClock(state, ctx, 'earlyAdvice.triage', request.id);
    if (command.decision === 'accept') {
      if (!command.prosecutorId) invalid('Accepting Early Advice needs the allocated prosecutor');
      request.status = 'accepted';
      request.prosecutorId = command.prosecutorId;
      moveTo(state, 'ea-in-progress');
      return {
        eventType: 'early-advice-accepted', data: { requestId: request.id, prosecutorId: command.prosecutorId, appeal: request.appealed },
        notices: [
          { purpose: 'advise', recipients: [`person:${command.prosecutorId}`], headline: 'You have been allocated an Early Advice request' },
          { purpose: 'ea-accepted', recipients: ['officer'], headline: 'The CPS accepted your Early Advice request' },
        ],
      };
    }
    if (!command.reasons?.length) invalid('Rejecting Early Advice needs at least one coded reason');
    const respondBy = command.respondBy ?? addPolicyDuration(ctx.now, ctx.policy.clocks['earlyAdvice.policeResponse']?.due ?? 'P14D', ctx.policy);
    if (Date.parse(respondBy) <= Date.parse(ctx.now)) invalid('respondBy must be in the future');
    request.status = 'rejected';
    request.rejection = { reasons: command.reasons, respondBy };
    disarmClock(state, ctx, 'earlyAdvice.advice', request.id);
    armClock(state, ctx, 'earlyAdvice.policeResponse', request.id, respondBy);
    moveTo(state, 'investigating');
    return {
      eventType: 'early-advice-rejected', reason: command.reasons.join(', '), data: { requestId: request.id, reasons: command.reasons, respondBy },
      notices: [{ purpose: 'ea-rejected', recipients: ['officer', 'police:DS'], headline: 'The CPS rejected the Early Advice request: respond or appeal' }],
    };
  },

  appealEarlyAdviceRejection(state, command, ctx) {
    const { actor } = ctx.input;
    requireOrganisation(actor, 'police', 'Appealing an Early Advice rejection');
    // DG6 ¶7.9: an officer of Inspector rank or above may appeal a refusal.
    requireRank(actor, 'DI', 'Appealing an Early Advice rejection');
    requireStage(state, ['investigating'], 'Appealing an Early Advice rejection');
    requireDocument(ctx, 'An appeal');
    const request = find(state.earlyAdvice, command.requestId, 'Early Advice request');
    if (request.status !== 'rejected') refuse('Only a rejected Early Advice request can be appealed');
    if (request.appealed) refuse('That rejection has already been appealed');
    request.status = 'awaiting-triage';
    request.appealed = true;
    disarmClock(state, ctx, 'earlyAdvice.policeResponse', request.id);
    armClock(state, ctx, 'earlyAdvice.triage', request.id);
    moveTo(state, 'ea-triage');
    return {
      eventType: 'early-advice-rejection-appealed', data: { requestId: request.id },
      notices: [{ purpose: 'ea-appeal', recipients: ['cps:DCP'], headline: 'An Inspector has appealed an Early Advice rejection' }],
    };
  },

  recordEarlyAdvice(state, command, ctx) {
    const { actor } = ctx.input;
    requireOrganisation(actor, 'cps', 'Recording Early Advice');
    requireStage(state, ['ea-in-progress'], 'Recording Early Advice');
    requireDocument(ctx, 'Early Advice');
    const request = find(state.earlyAdvice, command.requestId, 'Early Advice request');
    if (request.status !== 'accepted') refuse('That request has not been accepted');
    if (request.prosecutorId !== actor.id && !rankAtLeast(actor.rank, 'DCP')) refuse('Only the allocated prosecutor or a DCP may record this advice');
    request.status = 'advised';
    disarmClock(state, ctx, 'earlyAdvice.advice', request.id);
    const notices = [{ purpose: 'advice-recorded', recipients: ['officer', 'police:DS'], headline: 'Early Advice has been recorded on your case' }];
    if (command.actionPlan) {
      openActionPlan(state, ctx, command.actionPlan, 'early-advice', false);
      moveTo(state, 'action-plan-open');
      notices[0].headline = 'Early Advice and an action plan have been recorded on your case';
    } else {
      moveTo(state, 'investigating');
    }
    return { eventType: 'early-advice-recorded', data: { requestId: request.id, actionPlanId: command.actionPlan?.planId, actions: command.actionPlan?.actions.length ?? 0 }, notices };
  },

  recordEarlyAdviceNotSought(state, _command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Recording that Early Advice is not sought');
    requireStage(state, ['investigating'], 'Recording that Early Advice is not sought');
    requireDocument(ctx, 'The reason Early Advice is not sought');
    if (state.earlyAdvice.some((r) => r.status !== 'rejected')) refuse('Early Advice has already been sought on this case');
    state.earlyAdviceNotSought = true;
    disarmClock(state, ctx, 'earlyAdvice.consider', ctx.registration.caseId);
    return { eventType: 'early-advice-not-sought', data: {}, notices: [] };
  },
};

function endorse(state: Parameters<Handlers['endorseEarlyAdvice']>[0], requestId: string, ctx: Parameters<Handlers['endorseEarlyAdvice']>[2]) {
  state.referredToCps = true;
  armClock(state, ctx, 'earlyAdvice.triage', requestId);
  armClock(state, ctx, 'earlyAdvice.advice', requestId);
  moveTo(state, 'ea-triage');
  return {
    eventType: 'early-advice-endorsed', data: { requestId, endorsedBy: ctx.input.actor.id },
    notices: [{ purpose: 'triage-early-advice', recipients: ['cps:DCP'], headline: 'A new Early Advice request awaits CPS triage' }],
  };
}
