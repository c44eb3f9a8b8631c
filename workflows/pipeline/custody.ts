import { addPolicyDuration } from '../clocks/calendar';
import { policyFor } from '../clocks/clock';
import type { CustodyView } from '../contracts/case';
import type { Rank } from '../contracts/people';
import type { DecisionContext, Handlers } from './decide';
import { armClock, armClockFrom, disarmClock, invalid, rankAtLeast, refuse, requireOrganisation } from './decide';
import { endDetention } from './detention';
import type { CaseState } from './state';

/** PACE s.47ZB–47ZG: 3 months, to 6 by an Inspector, to 9 by a Superintendent, then a magistrates' court. */
const BAIL_LIMITS: { total: string; minRank?: Rank }[] = [{ total: 'P3M' }, { total: 'P6M', minRank: 'DI' }, { total: 'P9M', minRank: 'Superintendent' }];

const COURT_EXTENSION = 'bail.courtExtension';

/**
 * Beyond 9 months only a magistrates' court extends bail, on an application made before expiry (s.47ZF, 47ZJ): the
 * clock for preparing it runs to the policy's time before the expiry (14 days by default), armed with each new expiry.
 */
function armCourtApplication(state: CaseState, ctx: DecisionContext, bail: CustodyView): void {
  if (ctx.policy.clocks[COURT_EXTENSION] && bail.expiresAt) armClockFrom(state, ctx, COURT_EXTENSION, bail.suspectId, bail.expiresAt);
}

function onBail(state: CaseState, suspectId: string): CustodyView {
  const bail = (state.custody ?? []).find((c) => c.suspectId === suspectId && c.status === 'bail');
  if (!bail) refuse('That suspect is not on pre-charge bail');
  return bail;
}

/** Pre-charge bail and release under investigation (domain.md §2.7, T13–T18). */
export const custodyHandlers: Pick<Handlers, 'recordBail' | 'extendBail' | 'recordReleaseUnderInvestigation' | 'designateExceptionallyComplex' | 'applyForCourtBailExtension' | 'recordCourtBailDecision'> = {
  recordBail(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Recording pre-charge bail');
    if (!ctx.registration.suspectPartyIds.includes(command.suspectId)) refuse('That suspect is not on this case');
    if (Date.parse(command.startedAt) > Date.parse(ctx.now)) invalid('Bail cannot start in the future');
    state.custody ??= [];
    if (state.custody.some((c) => c.suspectId === command.suspectId && c.status === 'bail')) refuse('That suspect is already on bail');
    state.custody = state.custody.filter((c) => c.suspectId !== command.suspectId);
    // A release on bail ends any detention; bail's own clock takes over.
    endDetention(state, ctx, command.suspectId, 'bail');
    const expiresAt = addPolicyDuration(command.startedAt, policyFor('bail.expiry', ctx.policy).due, ctx.policy);
    state.custody.push({ suspectId: command.suspectId, status: 'bail', startedAt: command.startedAt, extensions: 0, expiresAt });
    disarmClock(state, ctx, 'rui.review', command.suspectId);
    // The 3 months run from the bail start, which may be days before it is recorded: the clock falls due at the
    // expiry the case records (before this patch it ran 3 months from the recording).
    armClock(state, ctx, 'bail.expiry', command.suspectId, ctx.patched('bail-expiry-from-start') ? expiresAt : undefined);
    // Victims' Code Right 6: a release on bail is a key event the victim must hear about.
    armClock(state, ctx, 'victim.keyEventUpdate', ctx.registration.caseId);
    return { eventType: 'bail-recorded', data: { suspectId: command.suspectId, startedAt: command.startedAt, expiresAt }, notices: [] };
  },

  extendBail(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Extending pre-charge bail');
    const bail = (state.custody ?? []).find((c) => c.suspectId === command.suspectId && c.status === 'bail');
    if (!bail) refuse('That suspect is not on pre-charge bail');
    const next = bail.extensions + 1;
    let expiresAt: string;
    if (next < BAIL_LIMITS.length) {
      const limit = BAIL_LIMITS[next];
      const rank = ctx.input.namedRanks?.[command.authorisedById];
      if (!rank || !rankAtLeast(rank, limit.minRank!)) refuse(`Extending bail to ${limit.total.slice(1).toLowerCase()} needs authority from a ${limit.minRank === 'DI' ? 'DI (Inspector)' : limit.minRank} or above`);
      expiresAt = addPolicyDuration(bail.startedAt, limit.total, ctx.policy);
    } else {
      if (!command.courtOrderedUntil) refuse('Beyond 9 months, bail is extended only by a magistrates\u2019 court: record the court order');
      if (Date.parse(command.courtOrderedUntil) <= Date.parse(bail.expiresAt ?? ctx.now)) invalid('A court extension must end after the current expiry');
      expiresAt = command.courtOrderedUntil;
      // The court order recorded this way answers an application pending before the court, as recordCourtBailDecision does.
      if (bail.courtApplication && !bail.courtApplication.decision) bail.courtApplication.decision = 'granted';
    }
    if (Date.parse(bail.expiresAt ?? ctx.now) < Date.parse(ctx.now)) refuse('Bail has already expired: it cannot be extended');
    bail.extensions = next;
    bail.expiresAt = expiresAt;
    armClock(state, ctx, 'bail.expiry', command.suspectId, expiresAt);
    // Added after cases were in flight: from 9 months on, the court application has its own clock.
    if (next >= BAIL_LIMITS.length - 1 && ctx.patched('bail-court-extension-clock')) armCourtApplication(state, ctx, bail);
    return { eventType: 'bail-extended', data: { suspectId: command.suspectId, extensions: next, expiresAt, authorisedBy: command.authorisedById }, notices: [] };
  },

  recordReleaseUnderInvestigation(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Recording a release under investigation');
    if (!ctx.registration.suspectPartyIds.includes(command.suspectId)) refuse('That suspect is not on this case');
    state.custody = (state.custody ?? []).filter((c) => c.suspectId !== command.suspectId);
    endDetention(state, ctx, command.suspectId, 'rui');
    state.custody.push({ suspectId: command.suspectId, status: 'rui', startedAt: ctx.now, extensions: 0 });
    disarmClock(state, ctx, 'bail.expiry', command.suspectId);
    armClock(state, ctx, 'rui.review', command.suspectId);
    armClock(state, ctx, 'victim.keyEventUpdate', ctx.registration.caseId);
    return { eventType: 'released-under-investigation', data: { suspectId: command.suspectId }, notices: [] };
  },

  designateExceptionallyComplex(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Designating a case exceptionally complex');
    const bail = onBail(state, command.suspectId);
    const rank = ctx.input.namedRanks?.[command.authorisedById];
    if (!rank || !rankAtLeast(rank, 'ACC')) refuse('Only a Commander or Assistant Chief Constable (or above) may designate a case exceptionally complex');
    if (Date.parse(command.dppConsultedAt) > Date.parse(ctx.now)) invalid('The DPP must already have been consulted');
    bail.exceptionallyComplex = { authorisedBy: command.authorisedById, dppConsultedAt: command.dppConsultedAt, at: ctx.now };
    return { eventType: 'designated-exceptionally-complex', data: { suspectId: command.suspectId, authorisedBy: command.authorisedById }, notices: [] };
  },

  applyForCourtBailExtension(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Applying to the court to extend bail');
    const bail = onBail(state, command.suspectId);
    if (bail.extensions < BAIL_LIMITS.length - 1) refuse('Bail can still be extended by the police: a court application comes once it reaches 9 months');
    if (Date.parse(bail.expiresAt ?? ctx.now) <= Date.parse(ctx.now)) refuse('Bail has already expired: the application had to be made before it did');
    if (bail.courtApplication && !bail.courtApplication.decision) refuse('An application is already before the court');
    if (command.extendTo !== 'P12M' && !bail.exceptionallyComplex) refuse('Beyond 12 months the court may extend bail only in a case designated exceptionally complex');
    // An application made later than the policy's lead time is flagged: the court may refuse it as one that could
    // reasonably have been made earlier (s.47ZJ).
    const prepareBy = addPolicyDuration(bail.expiresAt!, policyFor(COURT_EXTENSION, ctx.policy).due, ctx.policy);
    const late = Date.parse(ctx.now) > Date.parse(prepareBy);
    bail.courtApplication = { extendTo: command.extendTo, at: ctx.now, late };
    disarmClock(state, ctx, COURT_EXTENSION, command.suspectId);
    return {
      eventType: 'court-bail-extension-applied', reason: late ? 'late' : undefined, data: { suspectId: command.suspectId, extendTo: command.extendTo, late, prepareBy },
      notices: late ? [{ purpose: `late-bail-application-${command.suspectId}`, recipients: ['officer', 'police:DS'], headline: 'A bail extension application went to the court late: it may be refused' }] : [],
    };
  },

  recordCourtBailDecision(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Recording the court\u2019s decision on bail');
    const bail = onBail(state, command.suspectId);
    const application = bail.courtApplication;
    if (!application || application.decision) refuse('No application to extend bail is before the court');
    if (command.decision === 'refused') {
      application.decision = 'refused';
      return { eventType: 'court-bail-extension-refused', data: { suspectId: command.suspectId }, notices: [{ purpose: `bail-extension-refused-${command.suspectId}`, recipients: ['officer', 'police:DS'], headline: 'The court refused to extend bail' }] };
    }
    if (!command.until) invalid('A court extension needs the date to which bail was extended');
    if (Date.parse(command.until) <= Date.parse(bail.expiresAt ?? ctx.now)) invalid('A court extension must end after the current expiry');
    const furthest = addPolicyDuration(bail.startedAt, application.extendTo, ctx.policy);
    if (Date.parse(command.until) > Date.parse(furthest)) invalid(`The court may extend bail to at most ${application.extendTo.slice(1, -1)} months from its start`);
    application.decision = 'granted';
    bail.extensions += 1;
    bail.expiresAt = command.until;
    armClock(state, ctx, 'bail.expiry', command.suspectId, command.until);
    // A further extension is again a court's (s.47ZG): its application clock runs from the new expiry.
    armCourtApplication(state, ctx, bail);
    return { eventType: 'bail-extended', data: { suspectId: command.suspectId, extensions: bail.extensions, expiresAt: command.until, authorisedBy: 'court' }, notices: [] };
  },
};
