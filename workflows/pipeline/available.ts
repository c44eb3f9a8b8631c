import type { AvailableCommand } from '../contracts/case';
import { type CaseCommand, type CommandActor, NFS_CHECKLIST } from '../contracts/commands';
import type { Rank } from '../contracts/people';
import { type DecisionContext, dryRun, dryRunRefusal } from './decide';
import { decide } from './rules';
import { type CaseState, copyState, frozenCopy } from './state';

/** Stand-ins for what a person fills in on a form; they satisfy the rules' content checks, never their gates. */
const PROBE_ID = '00000000-0000-4000-8000-000000000000';
const PROBE_PERSON = '00000000-0000-4000-8000-0000000000aa';
/** The most senior stand-in for a named approver, so a probe is refused only for who asks, not for who approves. */
const PROBE_RANKS: Record<string, Rank> = { [PROBE_PERSON]: 'ACC' };
const PROBE_CPS_RANKS: Record<string, Rank> = { [PROBE_PERSON]: 'CCP' };

interface Probe { command: CaseCommand; targetId?: string; variant?: string; namedRanks?: Record<string, Rank> }

/**
 * What `actor` may do on this case now: every command the pipeline's own rules would accept from them, found by
 * dry-running each candidate (as the Update validator does). A command refused only for its content (InvalidCommand:
 * a missing reason, an incomplete checklist) is available: the form asks for that content.
 *
 * A case page dry-runs dozens of candidates and most are refused before they change anything, so each first runs on
 * one frozen copy shared by all; only a candidate that gets as far as changing the state is run again on a copy of
 * its own for the exact answer (copying the state per candidate was most of a case page's cost in the worker).
 */
export function availableCommands(state: CaseState, actor: CommandActor, ctx: Omit<DecisionContext, 'input'>): AvailableCommand[] {
  const found: AvailableCommand[] = [];
  const shared = frozenCopy(state);
  dryRun(() => {
    for (const probe of probes(state, ctx)) {
      const known = found.find((a) => a.type === probe.command.type && a.targetId === probe.targetId);
      // Another way of asking for a command already offered (e.g. a due-date change approved by the CPS) adds nothing.
      if (known && !probe.variant) continue;
      if (!accepts(shared, state, actor, ctx, probe)) continue;
      if (known) known.variants = [...(known.variants ?? []), probe.variant!];
      else found.push({ type: probe.command.type, ...(probe.targetId ? { targetId: probe.targetId } : {}), ...(probe.variant ? { variants: [probe.variant] } : {}) });
    }
  });
  return found;
}

function accepts(shared: Readonly<CaseState>, state: CaseState, actor: CommandActor, ctx: Omit<DecisionContext, 'input'>, probe: Probe): boolean {
  const input = { command: probe.command, actor, documentId: PROBE_ID, namedRanks: probe.namedRanks };
  try {
    decide(shared as CaseState, input, ctx);
    return true;
  } catch (err) {
    const refusal = dryRunRefusal(err);
    if (refusal) return refusal === 'InvalidCommand';
  }
  // It tried to change the frozen state: every check before that change passed; the run on a copy finishes the checks.
  try {
    decide(copyState(state), input, ctx);
    return true;
  } catch (err) {
    return dryRunRefusal(err) === 'InvalidCommand';
  }
}

/** One candidate per command and per item it could be about. */
function probes(state: CaseState, ctx: Omit<DecisionContext, 'input'>): Probe[] {
  // Whole days: a clock's steps for a new due date are date arithmetic, cached by due time (clockSteps), so a stand-in
  // date that changes only daily is worked out once a day rather than on every page.
  const later = startOfDayAfter(ctx.now, 30);
  const muchLater = startOfDayAfter(ctx.now, 3650);
  const checklist = Object.fromEntries(NFS_CHECKLIST.map((item) => [item, true]));
  const list: Probe[] = [
    { command: { type: 'requestEarlyAdvice', requestId: PROBE_ID } },
    { command: { type: 'recordEarlyAdviceNotSought' } },
    { command: { type: 'submitFile', submissionId: PROBE_ID, test: 'full-code', category: 'green', checklist } },
    { command: { type: 'recordVictimContact', kind: 'routine-update' } },
    { command: { type: 'recordVictimWithdrawal' } },
    { command: { type: 'reviewVictimWithdrawal', decision: 're-engaged' } },
    { command: { type: 'recordPoliceNfa', outcomeCode: 15 } },
    { command: { type: 'adminFinalise' } },
    { command: { type: 'closeCase' } },
    { command: { type: 'reopenCase', ground: 'new-evidence' } },
    { command: { type: 'requestVictimReview', reviewId: PROBE_ID, scheme: 'police' }, variant: 'police' },
    { command: { type: 'requestVictimReview', reviewId: PROBE_ID, scheme: 'cps' }, variant: 'cps' },
  ];
  for (const { id } of state.earlyAdvice) {
    list.push(
      { command: { type: 'endorseEarlyAdvice', requestId: id }, targetId: id },
      { command: { type: 'triageEarlyAdvice', requestId: id, decision: 'accept', prosecutorId: PROBE_PERSON }, targetId: id },
      { command: { type: 'appealEarlyAdviceRejection', requestId: id }, targetId: id },
      { command: { type: 'recordEarlyAdvice', requestId: id }, targetId: id },
    );
  }
  for (const { id } of state.actions) list.push({ command: { type: 'completeAction', actionId: id }, targetId: id });
  for (const { id } of state.actionPlans) list.push({ command: { type: 'reviewActionPlan', planId: id, outcome: 'continue' }, targetId: id });
  for (const { id } of state.submissions) {
    list.push(
      { command: { type: 'approveSubmission', submissionId: id }, targetId: id },
      { command: { type: 'returnSubmission', submissionId: id, reasons: ['other'] }, targetId: id },
      { command: { type: 'triageSubmission', submissionId: id, decision: 'accept', prosecutorId: PROBE_PERSON }, targetId: id },
      { command: { type: 'recordChargingDecision', submissionId: id, decision: 'charge' }, targetId: id },
      { command: { type: 'recordFullCodeTestReview', submissionId: id }, targetId: id },
    );
  }
  for (const { key, stoppedAt } of state.clocks) {
    if (stoppedAt) continue;
    list.push(
      { command: { type: 'pauseClock', clockKey: key, heldBy: 'police' }, targetId: key },
      { command: { type: 'resumeClock', clockKey: key }, targetId: key },
      { command: { type: 'changeDueDate', clockKey: key, dueAt: later, approverId: PROBE_PERSON }, targetId: key, namedRanks: PROBE_RANKS },
      { command: { type: 'changeDueDate', clockKey: key, dueAt: later, approverId: PROBE_PERSON }, targetId: key, namedRanks: PROBE_CPS_RANKS },
    );
  }
  for (const suspectId of ctx.registration.suspectPartyIds) {
    list.push(
      { command: { type: 'recordBail', suspectId, startedAt: ctx.now }, targetId: suspectId },
      { command: { type: 'extendBail', suspectId, authorisedById: PROBE_PERSON, courtOrderedUntil: muchLater }, targetId: suspectId, namedRanks: PROBE_RANKS },
      { command: { type: 'recordReleaseUnderInvestigation', suspectId }, targetId: suspectId },
      { command: { type: 'designateExceptionallyComplex', suspectId, authorisedById: PROBE_PERSON, dppConsultedAt: ctx.now }, targetId: suspectId, namedRanks: PROBE_RANKS },
      { command: { type: 'applyForCourtBailExtension', suspectId, extendTo: 'P12M' }, targetId: suspectId },
      { command: { type: 'recordCourtBailDecision', suspectId, decision: 'refused' }, targetId: suspectId },
      { command: { type: 'recordArrivalInCustody', suspectId, relevantTime: ctx.now, custodyOfficerId: PROBE_PERSON }, targetId: suspectId },
      { command: { type: 'recordDetentionReview', suspectId, reviewerId: PROBE_PERSON }, targetId: suspectId, namedRanks: PROBE_RANKS },
      { command: { type: 'extendDetention', suspectId, authorisedById: PROBE_PERSON }, targetId: suspectId, namedRanks: PROBE_RANKS },
      { command: { type: 'recordWarrantOfFurtherDetention', suspectId, expiresAt: muchLater }, targetId: suspectId },
      { command: { type: 'releaseWithNoFurtherAction', suspectId }, targetId: suspectId },
    );
  }
  for (const { id } of state.reviews ?? []) {
    list.push(
      { command: { type: 'acknowledgeVictimReview', reviewId: id }, targetId: id },
      { command: { type: 'decideVictimReview', reviewId: id, outcome: 'upheld' }, targetId: id },
    );
  }
  return list;
}

const DAY_MS = 86_400_000;

/** Midnight (UTC) of the day `days` days after `now`. */
function startOfDayAfter(now: string, days: number): string {
  return new Date((Math.floor(Date.parse(now) / DAY_MS) + days) * DAY_MS).toISOString();
}
