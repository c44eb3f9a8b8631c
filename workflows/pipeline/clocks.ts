import { acknowledgeClock, moveDueDate, pauseClock, resumeClock } from '../clocks/clock';
import type { CommandActor } from '../contracts/commands';
import type { Handlers } from './decide';
import { invalid, rankAtLeast, refuse, requireDocument } from './decide';
import type { CaseState } from './state';

function liveClock(state: CaseState, key: string) {
  const clock = state.clocks.find((c) => c.key === key && !c.stoppedAt);
  if (!clock) refuse(`No running clock ${key} on this case`);
  return clock;
}

/** Supervisors (police DS+) and prosecutors may hold a clock; officers ask them. */
function requireClockAuthority(actor: CommandActor, what: string): void {
  const ok = actor.organisation === 'police' ? rankAtLeast(actor.rank, 'DS') : actor.organisation === 'cps' && rankAtLeast(actor.rank, 'Prosecutor');
  if (!ok) refuse(`${what} needs a police DS or a CPS prosecutor or above`);
}

/** Pause, resume, move and acknowledge: the people's controls over a running deadline. */
export const clockHandlers: Pick<Handlers, 'pauseClock' | 'resumeClock' | 'changeDueDate' | 'acknowledgeEscalation'> = {
  pauseClock(state, command, ctx) {
    requireClockAuthority(ctx.input.actor, 'Pausing a clock');
    requireDocument(ctx, 'Pausing a clock');
    const clock = liveClock(state, command.clockKey);
    if (clock.pausedAt) refuse('That clock is already paused');
    pauseClock(clock, ctx.now, command.heldBy, ctx.input.actor.id);
    return { eventType: 'clock-paused', reason: command.heldBy, data: { clockKey: clock.key, clock: clock.name, heldBy: command.heldBy }, notices: [] };
  },

  resumeClock(state, command, ctx) {
    requireClockAuthority(ctx.input.actor, 'Resuming a clock');
    const clock = liveClock(state, command.clockKey);
    if (!clock.pausedAt) refuse('That clock is not paused');
    const pausedFrom = clock.pausedAt;
    resumeClock(clock, ctx.now);
    return {
      eventType: 'clock-resumed', data: { clockKey: clock.key, clock: clock.name, pausedFrom, pausedMs: Date.parse(ctx.now) - Date.parse(pausedFrom), dueAt: clock.dueAt },
      notices: [{ purpose: `clock-resumed-${clock.key}`, recipients: ['officer'], headline: `A clock has resumed: now due ${clock.dueAt}` }],
    };
  },

  changeDueDate(state, command, ctx) {
    const { actor, namedRanks } = ctx.input;
    requireDocument(ctx, 'A due-date change');
    const clock = liveClock(state, command.clockKey);
    if (Date.parse(command.dueAt) <= Date.parse(ctx.now)) invalid('The new due date must be in the future');
    if (command.approverId === actor.id) refuse('A due-date change needs someone else to approve it');
    const approverRank = namedRanks?.[command.approverId];
    if (!approverRank || !(rankAtLeast(approverRank, 'DS') || rankAtLeast(approverRank, 'DCP'))) refuse('A due-date change must be approved by a police DS or a DCP or above');
    const from = clock.dueAt;
    moveDueDate(clock, command.dueAt, ctx.now, actor.id, command.approverId, ctx.policy);
    const action = state.actions.find((a) => a.id === clock.subjectId);
    if (action) action.dueAt = command.dueAt;
    return {
      eventType: 'due-date-changed', data: { clockKey: clock.key, clock: clock.name, from, to: command.dueAt, approvedBy: command.approverId },
      notices: [{ purpose: `due-date-changed-${clock.key}-${clock.changes.length}`, recipients: ['officer'], headline: `A due date has been moved to ${command.dueAt}` }],
    };
  },

  acknowledgeEscalation(state, command, ctx) {
    const clock = liveClock(state, command.clockKey);
    if (!clock.firings.some((f) => f.kind === 'escalation')) refuse('That clock has not escalated');
    if (clock.acknowledged) refuse('That escalation has already been acknowledged');
    acknowledgeClock(clock, ctx.now, ctx.input.actor.id);
    return { eventType: 'escalation-acknowledged', data: { clockKey: clock.key, clock: clock.name }, notices: [] };
  },
};
