import { moveDueDate } from '../clocks/clock';
import type { ClinicOutcome } from '../contracts/commands';
import type { DecisionContext, Handlers, Notice } from './decide';
import { armClock, disarmClock, find, invalid, rankAtLeast, refuse, requireDocument } from './decide';
import type { CaseState } from './state';

/** Stages with a decision made: a clinic no longer changes the case's course. */
const DECIDED = ['charged', 'nfa-confirmed', 'vrr-review', 'admin-finalised', 'scrutiny-sampled', 'closed'];

/** What each outcome sets going beyond the plan: a clock (its first step a task for its owner) and a notice. */
const FOLLOW_UP: Partial<Record<ClinicOutcome, { clock: string; recipients: string[]; headline: string }>> = {
  'ready-to-submit': { clock: 'clinic.submission', recipients: ['officer'], headline: 'The clinic found the case ready: build and submit the charging file' },
  'consider-nfa': { clock: 'clinic.nfaReview', recipients: ['police:DS'], headline: 'The clinic asks for a pre-NFA review of the case' },
  escalate: { clock: 'clinic.escalation', recipients: ['police:DI'], headline: 'The clinic escalated the case to you' },
};

/**
 * Stops the named clinic follow-up clocks still running on the case: the case has done what the clinic asked, or moved
 * past it. Cases that armed one before this rule replay as they ran (patch `clinic-follow-ups-stop`).
 */
export function stopClinicFollowUps(state: CaseState, ctx: DecisionContext, names: string[]): void {
  const running = state.clocks.filter((c) => names.includes(c.name) && !c.stoppedAt);
  if (!running.length || !ctx.patched('clinic-follow-ups-stop')) return;
  for (const clock of running) disarmClock(state, ctx, clock.name, clock.subjectId);
}

/** Re-dates open actions with the clinic as the approval, re-arming each action's clock at its new due date. */
function amendPlan(state: CaseState, ctx: DecisionContext, clinicId: string, dueDates: { actionId: string; dueAt: string }[]): void {
  if (!dueDates.length) invalid('Amending the plan needs each action to re-date with its new due date');
  for (const { actionId, dueAt } of dueDates) {
    const action = find(state.actions, actionId, 'Action');
    if (action.status !== 'open') refuse(`Action ${actionId} is already complete`);
    if (!(Date.parse(dueAt) > Date.parse(ctx.now))) invalid('A new due date must be in the future');
    action.dueAt = dueAt;
    const clock = state.clocks.find((c) => c.key === `actionPlan.item:${actionId}` && !c.stoppedAt);
    // The clinic is the approval, recorded as such on the clock's change.
    if (clock) moveDueDate(clock, dueAt, ctx.now, ctx.input.actor.id, `clinic:${clinicId}`, ctx.policy);
    else armClock(state, ctx, 'actionPlan.item', actionId, dueAt);
  }
}

/** A clinic's outcome for a case, recorded by its CPS liaison or a police supervisor (the API checks they sat at it). */
export const clinicHandlers: Pick<Handlers, 'recordClinicOutcome'> = {
  recordClinicOutcome(state, command, ctx) {
    requireDocument(ctx, 'A clinic outcome');
    const { actor } = ctx.input;
    if (actor.organisation === 'police' && !rankAtLeast(actor.rank, 'DS')) refuse('A clinic outcome is recorded by the liaison or a supervisor');
    if (DECIDED.includes(state.stage)) refuse(`The case is ${state.stage}: a clinic no longer changes its course`);
    const notices: Notice[] = [];
    if (command.outcome === 'amend-plan') {
      amendPlan(state, ctx, command.clinicId, command.actionDueDates ?? []);
      notices.push({ purpose: 'clinic-amend-plan', recipients: ['officer'], headline: 'The clinic amended the action plan: see the new due dates' });
    } else if (command.actionDueDates?.length) {
      invalid('New due dates go with the amend-plan outcome only');
    }
    const follow = FOLLOW_UP[command.outcome];
    if (follow) {
      // A snapshot from before clinics has no such clock: the notice still goes.
      if (ctx.policy.clocks[follow.clock]) armClock(state, ctx, follow.clock, ctx.registration.caseId);
      notices.push({ purpose: `clinic-${command.outcome}`, recipients: follow.recipients, headline: follow.headline });
    }
    return {
      eventType: 'clinic-outcome-recorded', reason: command.outcome,
      data: { clinicId: command.clinicId, outcome: command.outcome, actionDueDates: command.actionDueDates ?? [] },
      notices,
    };
  },
};
