import type { ClockState, ClockStep } from '../clocks/clock';
import type { PolicySnapshot } from '../contracts/policy';
import { custodyOfficerFor, DETENTION_CLOCKS, detentionClockOwner } from './detention';
import type { CaseState } from './state';

/** Clocks registered with every new case (Victims' Code duties, the Early Advice decision). */
export const REGISTRATION_CLOCKS = ['victim.supportReferral', 'victim.routineUpdate', 'earlyAdvice.consider'];

/** The prosecutor currently on the case: reviewing the file, else giving Early Advice. */
export function currentProsecutor(state: CaseState): string | undefined {
  return state.submissions.findLast((s) => s.prosecutorId)?.prosecutorId ?? state.earlyAdvice.findLast((r) => r.prosecutorId)?.prosecutorId;
}

/**
 * Who a step of a clock goes to, relative to the case (`officer`, `police:DS`, `prosecutor`, `person:<id>`…): the
 * ladder's named ranks, with `owner` as the people who must act before it falls due.
 */
export function stepRecipients(clock: ClockState, step: Pick<ClockStep, 'to'>, state: CaseState, policy: PolicySnapshot): string[] {
  return step.to.flatMap((to) => (to === 'owner' ? clockOwner(clock, state, policy) : [to]))
    // A detention's custody officer is a named person, not a rank up the officer's chain.
    .flatMap((to) => (to === 'custody' ? [custodyOfficerFor(state, clock.subjectId) ?? 'officer'] : [to]));
}

/** Who a clock's reminder goes to: the people who must act before it falls due. */
function clockOwner(clock: ClockState, state: CaseState, policy: PolicySnapshot): string[] {
  if (clock.name === 'earlyAdvice.triage') return ['cps:DCP'];
  // A clinic's follow-up: its first step (at once) is a task for whom the clinic asked to act.
  if (clock.name === 'clinic.nfaReview') return ['police:DS'];
  if (clock.name === 'clinic.escalation') return ['police:DI'];
  if (clock.name === 'earlyAdvice.advice' || clock.name === 'charging.decision' || clock.name === DETENTION_CLOCKS.chargingDecision) return [currentProsecutor(state) ? 'prosecutor' : 'cps:DCP'];
  const detention = detentionClockOwner(state, { policy }, clock.name, clock.subjectId);
  if (detention) return detention;
  // A Threshold Test charge awaiting its Full Code Test review: the reviewing prosecutor and the officer, weekly.
  if (clock.name === 'thresholdTest.review') return ['prosecutor', 'officer'];
  if (clock.name === 'bail.courtExtension') return ['officer', 'police:DS'];
  if (clock.name === 'actionPlan.item') return [state.actions.find((a) => a.id === clock.subjectId)?.owner === 'cps' ? 'prosecutor' : 'officer'];
  if (clock.name === 'bail.expiry') {
    // Alerts go to whoever may authorise the next extension; past the police ranks, the officer and DS prepare the court application.
    const extensions = (state.custody ?? []).find((c) => c.suspectId === clock.subjectId)?.extensions ?? 0;
    const next = policy.clocks['bail.expiry']?.authorise?.[extensions] ?? 'court';
    return next === 'court' ? ['officer', 'police:DS'] : ['officer', next];
  }
  return ['officer'];
}
