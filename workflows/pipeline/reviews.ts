import { addPolicyDuration } from '../clocks/calendar';
import type { Handlers } from './decide';
import { armClock, disarmClock, find, moveTo, rankAtLeast, refuse, requireDocument, requireStage } from './decide';

/** The Right to Review window: police scheme 3 months from the decision; CPS accepts later requests only exceptionally. */
const REVIEW_WINDOW = 'P3M';

/** Victims' Right to Review (domain.md §2.8, S14, T21–T24). */
export const reviewHandlers: Pick<Handlers, 'requestVictimReview' | 'acknowledgeVictimReview' | 'decideVictimReview'> = {
  requestVictimReview(state, command, ctx) {
    requireStage(state, ['nfa-confirmed', 'closed'], 'A Right to Review request');
    requireDocument(ctx, "The victim's request");
    if (!state.nfaAt || state.outcomeCode === undefined) refuse('Only a decision not to charge can be reviewed');
    state.reviews ??= [];
    if (state.reviews.some((r) => r.status !== 'decided')) refuse('A review is already open on this case');
    const cpsDecision = state.outcomeCode === 9 || state.submissions.some((s) => s.decision === 'nfa');
    if (command.scheme === 'cps' && !cpsDecision) refuse('The CPS scheme reviews CPS decisions; this NFA was a police decision');
    if (command.scheme === 'police' && cpsDecision) refuse('The police scheme reviews police decisions; this NFA was a CPS decision');
    // The police scheme excludes cases where the victim withdrew support (outcome 16).
    if (command.scheme === 'police' && state.outcomeCode === 16) refuse('The police Right to Review scheme does not cover a victim withdrawal (outcome 16)');
    const late = Date.parse(ctx.now) > Date.parse(addPolicyDuration(state.nfaAt, REVIEW_WINDOW, ctx.policy));
    if (late && command.scheme === 'police') refuse('The police Right to Review window (3 months from the decision) has closed');
    state.reviews.push({ id: command.reviewId, scheme: command.scheme, status: 'requested', requestedAt: ctx.now, late });
    if (command.scheme === 'police') {
      armClock(state, ctx, 'vrr.police.acknowledge', command.reviewId);
      armClock(state, ctx, 'vrr.police.decision', command.reviewId);
    } else {
      armClock(state, ctx, 'vrr.cps.decision', command.reviewId);
    }
    moveTo(state, 'vrr-review');
    return {
      eventType: 'victim-review-requested', reason: command.scheme, data: { reviewId: command.reviewId, scheme: command.scheme, late },
      notices: [{ purpose: `vrr-${command.reviewId}`, recipients: command.scheme === 'police' ? ['police:DCI'] : ['cps:DCP'], headline: `A victim has asked for a review of the decision not to charge (${command.scheme} scheme)` }],
    };
  },

  acknowledgeVictimReview(state, command, ctx) {
    requireStage(state, ['vrr-review'], 'Acknowledging a review request');
    const review = find(state.reviews ?? [], command.reviewId, 'Review');
    if (review.status !== 'requested') refuse('That review has already been acknowledged');
    review.status = 'acknowledged';
    disarmClock(state, ctx, 'vrr.police.acknowledge', review.id);
    return { eventType: 'victim-review-acknowledged', data: { reviewId: review.id }, notices: [] };
  },

  decideVictimReview(state, command, ctx) {
    const { actor } = ctx.input;
    requireStage(state, ['vrr-review'], 'A review decision');
    requireDocument(ctx, 'The review decision and reasons');
    const review = find(state.reviews ?? [], command.reviewId, 'Review');
    if (review.status === 'decided') refuse('That review has already been decided');
    // The reviewer is more senior than the decision maker: police DI or above, CPS DCP or above (or ARU).
    const senior = review.scheme === 'police' ? actor.organisation === 'police' && rankAtLeast(actor.rank, 'DI') : actor.organisation === 'cps' && rankAtLeast(actor.rank, 'DCP');
    if (!senior) refuse(review.scheme === 'police' ? 'A police review is decided by a DI or above' : 'A CPS review is decided by a DCP or above');
    review.status = 'decided';
    review.outcome = command.outcome;
    for (const name of ['vrr.police.acknowledge', 'vrr.police.decision', 'vrr.cps.decision']) disarmClock(state, ctx, name, review.id);
    if (command.outcome === 'overturned') {
      state.outcomeCode = undefined;
      moveTo(state, 'investigating');
      armClock(state, ctx, 'victim.routineUpdate', ctx.registration.caseId);
    } else {
      moveTo(state, 'closed');
    }
    return {
      eventType: 'victim-review-decided', reason: command.outcome, data: { reviewId: review.id, outcome: command.outcome },
      notices: [{ purpose: `vrr-decided-${review.id}`, recipients: ['officer', 'police:DS'], headline: command.outcome === 'overturned' ? 'The review overturned the decision: the case is reopened' : 'The review upheld the decision not to charge' }],
    };
  },
};
