import { CLINIC_OUTCOMES } from '../../../workflows/contracts/commands';
import type { Body, Field } from '../../common/forms';

/** An open action of a case on the agenda, as the outcome form offers to re-date it. */
export interface OpenAction { id: string; label: string; dueAt: string | null }

/**
 * The outcome form of one case on a clinic's agenda: the body of POST /api/clinics/:id/cases/:caseId/outcome. Each open
 * action has a date (its id goes beside it, hidden); a date left blank keeps the action's due date.
 */
export function outcomeFields(actions: Pick<OpenAction, 'label'>[]): Field[] {
  return [
    { kind: 'radios', path: 'outcome', label: 'What the clinic decided', labels: 'clinicOutcome', values: CLINIC_OUTCOMES },
    { kind: 'textarea', path: 'note', label: 'Note of the discussion', hint: 'What was decided and why. Kept with the case, never emailed.', rows: 3 },
    ...actions.map((a, i): Field => ({
      kind: 'date', path: `actionDueDates.${i}.dueAt`, label: `New due date for ${a.label}`, optional: true,
      hint: 'Only when the clinic amends the plan. Leave it blank to keep the due date.',
    })),
  ];
}

/**
 * The outcome form's answers as the API's body: the action dates given, each with its action's id. Amending the plan
 * with no date given is sent as an empty list, so the API's own validation says a date is needed.
 */
export function withActionIds(body: Body, form: Body): Body {
  const rows = (form.actionDueDates && typeof form.actionDueDates === 'object' ? form.actionDueDates : {}) as Record<string, { actionId?: unknown }>;
  const dates = (body.actionDueDates ?? []) as ({ dueAt?: string } | undefined)[];
  const given = Object.keys(rows).flatMap((i) => (dates[Number(i)]?.dueAt ? [{ actionId: rows[i]?.actionId, dueAt: dates[Number(i)]!.dueAt }] : []));
  const rest = { ...body };
  delete rest.actionDueDates;
  return given.length || body.outcome === 'amend-plan' ? { ...rest, actionDueDates: given } : rest;
}

/** How many action rows a posted outcome form has (bounded like the API's list). */
export const actionRows = (form: Body): number => Math.min(100, Object.keys((form.actionDueDates && typeof form.actionDueDates === 'object' ? form.actionDueDates : {}) as object).length);

const duration: Field = { kind: 'radios', path: 'durationMinutes', label: 'How long it sits', labels: 'clinicDuration', values: [30, 60, 90, 120, 180], numeric: true };
const liaison: Field = { kind: 'person', path: 'liaisonId', label: 'CPS liaison (optional)', hint: 'Left unchosen: a prosecutor of the CPS team serving the unit', people: 'liaisons', optional: true };

/** A schedule's questions: the body of POST /api/clinic-schedules (the unit is the supervisor's own). */
export const SCHEDULE_FIELDS: Field[] = [
  { kind: 'date', path: 'firstSittingAt', label: 'First sitting', time: 'local', hint: 'UK time, 24-hour clock. For example, 1 12 2026 at 10 00' },
  { kind: 'radios', path: 'rrule', label: 'How often it sits', labels: 'cadence', values: ['FREQ=WEEKLY', 'FREQ=WEEKLY;INTERVAL=2', 'FREQ=WEEKLY;INTERVAL=4', 'FREQ=MONTHLY'], hint: 'A sitting that falls on a bank holiday moves to the next working day' },
  duration,
  { kind: 'radios', path: 'agendaLeadTime', label: 'When the agenda is built and the invites go', labels: 'agendaLeadTime', values: ['P1D', 'P2D', 'P3D', 'P1W'] },
  liaison,
  { kind: 'text', path: 'location', label: 'Where it sits (optional)', hint: 'For example, interview room 2 or a video link', width: 'govuk-input--width-20' },
];

/** A change to a schedule: PATCH semantics, so a question left blank keeps what the schedule has. */
export const SCHEDULE_CHANGE_FIELDS: Field[] = SCHEDULE_FIELDS.map((f) => (f.kind === 'date' ? { ...f, optional: true } : f));

/** An extra sitting's questions: the body of POST /api/clinics. */
export const CONVENE_FIELDS: Field[] = [
  { kind: 'date', path: 'sittingAt', label: 'When it sits', time: 'instant', hint: 'UK time, 24-hour clock. For example, 3 12 2026 at 14 00' },
  duration,
  liaison,
  { kind: 'text', path: 'location', label: 'Where it sits (optional)', width: 'govuk-input--width-20' },
];
