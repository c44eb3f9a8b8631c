import type { Handlers } from './decide';
import { armClock, disarmClock, refuse, requireDocument, requireOrganisation } from './decide';

/** Victims' Code contacts: each discharges the clock of the duty it fulfils (and re-arms the routine cadence). */
export const victimHandlers: Pick<Handlers, 'recordVictimContact'> = {
  recordVictimContact(state, command, ctx) {
    requireOrganisation(ctx.input.actor, 'police', 'Recording a victim contact');
    requireDocument(ctx, 'A victim contact record');
    const caseId = ctx.registration.caseId;
    if (state.stage === 'closed') refuse('The case is closed');
    switch (command.kind) {
      case 'support-referral':
        disarmClock(state, ctx, 'victim.supportReferral', caseId);
        break;
      case 'key-event-update':
        disarmClock(state, ctx, 'victim.keyEventUpdate', caseId);
        break;
      case 'nfa-notification': {
        const pending = state.clocks.find((c) => c.name === 'nfa.victimNotification' && !c.stoppedAt);
        if (!pending) refuse('There is no NFA decision awaiting notification to the victim');
        disarmClock(state, ctx, 'nfa.victimNotification', pending.subjectId);
        break;
      }
      case 'routine-update':
        break;
    }
    // Any contact is an update: the routine cadence starts again from now (unless the case is decided).
    if (!['charged', 'nfa-confirmed', 'admin-finalised'].includes(state.stage)) armClock(state, ctx, 'victim.routineUpdate', caseId);
    else disarmClock(state, ctx, 'victim.routineUpdate', caseId);
    return { eventType: 'victim-contact-recorded', reason: command.kind, data: { kind: command.kind }, notices: [] };
  },
};
