import { addPolicyDuration } from '../clocks/calendar';
import { policyFor } from '../clocks/clock';
import type { Rank } from '../contracts/people';
import type { Handlers } from './decide';
import { armClock, disarmClock, invalid, rankAtLeast, refuse, requireOrganisation } from './decide';

/** PACE s.47ZB–47ZG: 3 months, to 6 by an Inspector, to 9 by a Superintendent, then a magistrates' court. */
const BAIL_LIMITS: { total: string; minRank?: Rank }[] = [{ total: 'P3M' }, { total: 'P6M', minRank: 'DI' }, { total: 'P9M', minRank: 'Superintendent' }];

/** Pre-charge bail and release under investigation (domain.md §2.7, T13–T18). */
export const custodyHandlers: Pick<Handlers, 'recordBail' | 'extendBail' | 'recordReleaseUnderInvestigation'> = {
  recordBail(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Recording pre-charge bail');
    if (!ctx.registration.suspectPartyIds.includes(command.suspectId)) refuse('That suspect is not on this case');
    if (Date.parse(command.startedAt) > Date.parse(ctx.now)) invalid('Bail cannot start in the future');
    state.custody ??= [];
    if (state.custody.some((c) => c.suspectId === command.suspectId && c.status === 'bail')) refuse('That suspect is already on bail');
    state.custody = state.custody.filter((c) => c.suspectId !== command.suspectId);
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
    }
    if (Date.parse(bail.expiresAt ?? ctx.now) < Date.parse(ctx.now)) refuse('Bail has already expired: it cannot be extended');
    bail.extensions = next;
    bail.expiresAt = expiresAt;
    armClock(state, ctx, 'bail.expiry', command.suspectId, expiresAt);
    return { eventType: 'bail-extended', data: { suspectId: command.suspectId, extensions: next, expiresAt, authorisedBy: command.authorisedById }, notices: [] };
  },

  recordReleaseUnderInvestigation(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Recording a release under investigation');
    if (!ctx.registration.suspectPartyIds.includes(command.suspectId)) refuse('That suspect is not on this case');
    state.custody = (state.custody ?? []).filter((c) => c.suspectId !== command.suspectId);
    state.custody.push({ suspectId: command.suspectId, status: 'rui', startedAt: ctx.now, extensions: 0 });
    disarmClock(state, ctx, 'bail.expiry', command.suspectId);
    armClock(state, ctx, 'rui.review', command.suspectId);
    armClock(state, ctx, 'victim.keyEventUpdate', ctx.registration.caseId);
    return { eventType: 'released-under-investigation', data: { suspectId: command.suspectId }, notices: [] };
  },
};
