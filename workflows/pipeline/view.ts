import { nextStep } from '../clocks/clock';
import type { CaseRegistration, CaseView, Holder } from '../contracts/case';
import type { PolicySnapshot } from '../contracts/policy';
import { openDecisionCriticalActions } from './action-plans';
import type { CaseState } from './state';

/**
 * The case as people see it: its state, with what it waits for and each running clock's due time, overdue flag and
 * next step as of `now`. Pure: the workflow answers its query with it, and the API computes the same view from the
 * state the projection stores (a case page does not need a round trip to the workflow).
 */
export function caseView(registration: CaseRegistration, policy: PolicySnapshot, state: CaseState, now: number): CaseView {
  return {
    caseId: registration.caseId,
    stage: state.stage,
    policyVersion: policy.version,
    enhancedRights: true, // Victims' Code: victims of sexual offences are always eligible (domain.md §2.8)
    registered: state.registered,
    ...whatNext(state),
    referredToCps: state.referredToCps,
    earlyAdviceNotSought: state.earlyAdviceNotSought,
    outcomeCode: state.outcomeCode,
    earlyAdvice: state.earlyAdvice,
    actionPlans: state.actionPlans.map(({ afterFullCodeSubmission: _, ...plan }) => plan),
    actions: state.actions,
    submissions: state.submissions,
    custody: state.custody ?? [],
    detention: state.detention ?? [],
    reviews: state.reviews ?? [],
    clocks: state.clocks.filter((c) => !c.stoppedAt).map((clock) => ({
      key: clock.key, name: clock.name, subjectId: clock.subjectId, startedAt: clock.startedAt, dueAt: clock.dueAt, explanation: clock.explanation,
      overdue: !clock.pausedAt && Date.parse(clock.dueAt) < now, stepsFired: clock.stepsFired, nextStepAt: nextStep(clock, policy)?.at,
      paused: clock.pausedAt && clock.pause ? { since: clock.pausedAt, heldBy: clock.pause.heldBy } : undefined, pausedMs: clock.pausedMs,
      acknowledged: clock.acknowledged, firings: clock.firings,
    })),
  };
}

/** What the case is waiting for and who holds it, derived from the stage and the open items. */
export function whatNext(state: CaseState): Pick<CaseView, 'waitingFor' | 'holder'> {
  const openRequest = state.earlyAdvice.find((r) => ['awaiting-endorsement', 'awaiting-triage', 'accepted'].includes(r.status));
  const openSubmission = state.submissions.find((s) => ['awaiting-gatekeeper', 'awaiting-triage', 'in-review'].includes(s.status));
  const police = (role: Holder['role']): Holder => ({ organisation: 'police', role });
  switch (state.stage) {
    case 'reported':
    case 'investigating': {
      const rejected = state.earlyAdvice.find((r) => r.status === 'rejected' && !r.appealed);
      return { waitingFor: rejected ? 'Police response to the Early Advice rejection (re-submit or appeal)' : 'Investigation: request Early Advice (or record why not) and build the file', holder: police('officer') };
    }
    case 'ea-requested': return { waitingFor: 'Supervisor endorsement of the Early Advice request', holder: police('supervisor') };
    case 'ea-triage': return { waitingFor: openRequest?.appealed ? 'DCP decision on the appeal against the Early Advice rejection' : 'CPS triage of the Early Advice request', holder: { organisation: 'cps', role: 'triage' } };
    case 'ea-in-progress': return { waitingFor: 'Early Advice from the allocated prosecutor', holder: { organisation: 'cps', role: 'prosecutor', personId: openRequest?.prosecutorId } };
    case 'action-plan-open':
    case 'clinic-review': {
      const open = state.actions.filter((a) => a.status === 'open');
      const critical = openDecisionCriticalActions(state);
      if (!open.length) return { waitingFor: 'CPS review of the completed action plan', holder: { organisation: 'cps', role: 'prosecutor' } };
      const owner = critical[0]?.owner ?? open[0].owner;
      return { waitingFor: `Action plan: ${open.length} open action(s), ${critical.length} decision-critical`, holder: owner === 'cps' ? { organisation: 'cps', role: 'prosecutor' } : police('officer') };
    }
    case 'file-build':
      return openSubmission?.status === 'awaiting-gatekeeper'
        ? { waitingFor: 'Gatekeeper review of the charging file', holder: police('gatekeeper') }
        : { waitingFor: 'Build and submit the charging file', holder: police('officer') };
    case 'charging-submitted': return { waitingFor: 'CPS triage of the charging file', holder: { organisation: 'cps', role: 'triage' } };
    case 'cps-review': return { waitingFor: 'CPS charging decision', holder: { organisation: 'cps', role: 'prosecutor', personId: openSubmission?.prosecutorId } };
    case 'victim-disengaging': return { waitingFor: "Supervisor review of the victim's withdrawal", holder: police('supervisor') };
    case 'nfa-confirmed': {
      const pending = state.clocks.some((c) => c.name === 'nfa.victimNotification' && !c.stoppedAt);
      return pending ? { waitingFor: 'Tell the victim of the NFA decision, with reasons and the right to review', holder: police('officer') } : { waitingFor: 'Closure (or a Right to Review request)', holder: police('supervisor') };
    }
    case 'charged': return { waitingFor: 'Charge and post-charge handover (out of scope)', holder: police('officer') };
    case 'vrr-review': return { waitingFor: "Review of the decision not to charge (victim's Right to Review)", holder: (state.reviews ?? []).some((r) => r.scheme === 'cps' && r.status !== 'decided') ? { organisation: 'cps', role: 'dcp' } : police('supervisor') };
    case 'admin-finalised': return { waitingFor: 'Closure, unless new material reopens it', holder: { organisation: 'cps', role: 'dcp' } };
    default: return { waitingFor: 'Nothing: the case is closed' };
  }
}
