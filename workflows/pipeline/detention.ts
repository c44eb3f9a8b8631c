import { addPolicyDuration } from '../clocks/calendar';
import { policyFor, supersedePastSteps } from '../clocks/clock';
import type { DetentionView } from '../contracts/case';
import type { Handlers } from './decide';
import { armClock, armClockFrom, type DecisionContext, disarmClock, invalid, rankAtLeast, refuse, requireDocument, requireOrganisation } from './decide';
import type { CaseState } from './state';

/** The limit on detention without charge (PACE s.41), its reviews (s.40) and the CPS decision for a red submission. */
export const DETENTION_CLOCKS = { limit: 'custody.detention', firstReview: 'custody.firstReview', furtherReview: 'custody.furtherReview', chargingDecision: 'custody.chargingDecision' } as const;

/** The suspect's detention now running, if any. */
export function detained(state: CaseState, suspectId: string): DetentionView | undefined {
  return (state.detention ?? []).find((d) => d.suspectId === suspectId && !d.released);
}

export function anyoneDetained(state: CaseState): boolean {
  return (state.detention ?? []).some((d) => !d.released);
}

/** A release ends the detention and stops its limit and review clocks; the release's own clock is armed by its rule. */
export function endDetention(state: CaseState, ctx: DecisionContext, suspectId: string, outcome: NonNullable<DetentionView['released']>['outcome']): void {
  const detention = detained(state, suspectId);
  if (!detention) return;
  detention.released = { at: ctx.now, outcome };
  for (const name of [DETENTION_CLOCKS.limit, DETENTION_CLOCKS.firstReview, DETENTION_CLOCKS.furtherReview]) disarmClock(state, ctx, name, suspectId);
}

function runningDetention(state: CaseState, suspectId: string): DetentionView {
  const detention = detained(state, suspectId);
  if (!detention) refuse('That suspect is not detained in custody');
  return detention;
}

/** The further limit at `index` of the detention clock's policy (0: a superintendent's extension, 1: a court's warrant). */
function furtherLimit(ctx: DecisionContext, index: number): string {
  const limit = policyFor(DETENTION_CLOCKS.limit, ctx.policy).limits?.[index];
  if (!limit) refuse(`The policy ${ctx.policy.version} sets no further detention limit`);
  return limit;
}

const hours = (spec: string) => spec.replace(/^PT?/, '').toLowerCase();

/**
 * Who a detention clock's steps reach beyond the ranks: `custody` is the custody officer recorded at arrival (a named
 * person, since custody officers sit outside the investigation's supervision chain).
 */
export function custodyOfficerFor(state: CaseState, suspectId: string): string | undefined {
  const detention = (state.detention ?? []).findLast((d) => d.suspectId === suspectId);
  return detention && `person:${detention.custodyOfficerId}`;
}

/** Who a detention clock's reminders go to: the custody officer, the officer in case and whoever must authorise next. */
export function detentionClockOwner(state: CaseState, ctx: Pick<DecisionContext, 'policy'>, name: string, suspectId: string): string[] | undefined {
  if (name === DETENTION_CLOCKS.firstReview || name === DETENTION_CLOCKS.furtherReview) return ['custody', 'police:DI'];
  if (name !== DETENTION_CLOCKS.limit) return undefined;
  const detention = (state.detention ?? []).findLast((d) => d.suspectId === suspectId);
  const next = ctx.policy.clocks[name]?.authorise?.[detention?.extension || detention?.warrants.length ? 1 : 0] ?? 'court';
  // A warrant is applied for by the officer in case; the custody officer keeps the time.
  return next === 'court' ? ['custody', 'officer'] : ['custody', 'officer', next];
}

/** Detention without charge at a police station (domain.md §4 T27; PACE ss.40-44). */
export const detentionHandlers: Pick<Handlers, 'recordArrivalInCustody' | 'recordDetentionReview' | 'extendDetention' | 'recordWarrantOfFurtherDetention' | 'releaseWithNoFurtherAction'> = {
  recordArrivalInCustody(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Recording an arrival in custody');
    if (!ctx.registration.suspectPartyIds.includes(command.suspectId)) refuse('That suspect is not on this case');
    if (detained(state, command.suspectId)) refuse('That suspect is already detained');
    if (Date.parse(command.relevantTime) > Date.parse(ctx.now)) invalid('The relevant time cannot be in the future');
    const limitAt = addPolicyDuration(command.relevantTime, policyFor(DETENTION_CLOCKS.limit, ctx.policy).due, ctx.policy);
    if (Date.parse(limitAt) <= Date.parse(ctx.now)) invalid('The detention limit from that relevant time has already passed');
    state.detention = (state.detention ?? []).filter((d) => d.suspectId !== command.suspectId);
    state.detention.push({ suspectId: command.suspectId, relevantTime: command.relevantTime, custodyOfficerId: command.custodyOfficerId, limitAt, warrants: [], reviews: [] });
    armClockFrom(state, ctx, DETENTION_CLOCKS.limit, command.suspectId, command.relevantTime);
    armClockFrom(state, ctx, DETENTION_CLOCKS.firstReview, command.suspectId, command.relevantTime);
    return { eventType: 'arrived-in-custody', data: { suspectId: command.suspectId, relevantTime: command.relevantTime, limitAt, custodyOfficerId: command.custodyOfficerId }, notices: [] };
  },

  recordDetentionReview(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Recording a review of detention');
    const detention = runningDetention(state, command.suspectId);
    const rank = ctx.input.namedRanks?.[command.reviewerId];
    if (!rank || !rankAtLeast(rank, 'DI')) refuse('A review of detention is for an Inspector (DI) or above');
    if (command.reviewerId === ctx.registration.officerId) refuse('The review officer must not be directly involved in the investigation');
    detention.reviews.push({ reviewerId: command.reviewerId, at: ctx.now });
    // The next review falls due 9 hours after this one, however early this one came (s.40(3)).
    disarmClock(state, ctx, DETENTION_CLOCKS.firstReview, command.suspectId);
    armClock(state, ctx, DETENTION_CLOCKS.furtherReview, command.suspectId);
    return { eventType: 'detention-reviewed', data: { suspectId: command.suspectId, reviewerId: command.reviewerId, reviews: detention.reviews.length }, notices: [] };
  },

  extendDetention(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Extending detention');
    const detention = runningDetention(state, command.suspectId);
    if (detention.extension || detention.warrants.length) refuse('Detention has already been extended: beyond that only a magistrates\u2019 court may extend it');
    if (Date.parse(detention.limitAt) <= Date.parse(ctx.now)) refuse('The detention limit has run out: it can no longer be extended');
    const rank = ctx.input.namedRanks?.[command.authorisedById];
    const limit = furtherLimit(ctx, 0);
    if (!rank || !rankAtLeast(rank, 'Superintendent')) refuse(`Extending detention to ${hours(limit)} needs authority from a Superintendent or above`);
    requireDocument(ctx, 'Extending detention (the grounds)');
    detention.limitAt = addPolicyDuration(detention.relevantTime, limit, ctx.policy);
    detention.extension = { authorisedBy: command.authorisedById, at: ctx.now };
    armClockFrom(state, ctx, DETENTION_CLOCKS.limit, command.suspectId, detention.relevantTime, limit);
    return { eventType: 'detention-extended', data: { suspectId: command.suspectId, authorisedBy: command.authorisedById, limitAt: detention.limitAt }, notices: [] };
  },

  recordWarrantOfFurtherDetention(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Recording a warrant of further detention');
    const detention = runningDetention(state, command.suspectId);
    if (Date.parse(detention.limitAt) <= Date.parse(ctx.now)) refuse('The detention limit has run out: a warrant must be obtained before it does');
    const limit = furtherLimit(ctx, 1);
    const latest = addPolicyDuration(detention.relevantTime, limit, ctx.policy);
    if (Date.parse(command.expiresAt) <= Date.parse(detention.limitAt)) invalid('A warrant must run beyond the current detention limit');
    if (Date.parse(command.expiresAt) > Date.parse(latest)) invalid(`A warrant of further detention cannot run beyond ${hours(limit)} from the relevant time`);
    detention.warrants.push({ expiresAt: command.expiresAt, at: ctx.now });
    detention.limitAt = command.expiresAt;
    armClock(state, ctx, DETENTION_CLOCKS.limit, command.suspectId, command.expiresAt);
    const clock = state.clocks.at(-1)!;
    clock.explanation = `warrant of further detention from a magistrates\u2019 court to ${command.expiresAt}`;
    supersedePastSteps(clock, ctx.now, ctx.policy);
    return { eventType: 'detention-warrant-recorded', data: { suspectId: command.suspectId, expiresAt: command.expiresAt }, notices: [] };
  },

  releaseWithNoFurtherAction(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Releasing a suspect from custody');
    runningDetention(state, command.suspectId);
    endDetention(state, ctx, command.suspectId, 'nfa');
    // Victims' Code Right 6: a release without charge is a key event the victim must hear about.
    armClock(state, ctx, 'victim.keyEventUpdate', ctx.registration.caseId);
    return { eventType: 'released-from-custody', reason: 'nfa', data: { suspectId: command.suspectId, outcome: 'nfa' }, notices: [] };
  },
};
