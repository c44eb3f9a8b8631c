import type { Type } from '@nestjs/common';
import { ReviewPlanDto } from '../../api/action-plans/action-plans.dto';
import { PoliceNfaDto, ReopenDto, VictimContactDto, WithdrawalReviewDto } from '../../api/case-outcomes/case-outcomes.dto';
import { buildCommand, type BuiltCommand, type PlanContext } from '../../api/cases/case-command-builders';
import { ChangeDueDateDto } from '../../api/clocks/clocks.dto';
import { NoteDto, ReasonDto } from '../../api/common/dto';
import { BailDto, CourtBailApplicationDto, CourtBailDecisionDto, ExtendBailDto } from '../../api/custody/custody.dto';
import { RecordAdviceDto, RequestEarlyAdviceDto, TriageEarlyAdviceDto } from '../../api/early-advice/early-advice.dto';
import { RequestReviewDto, ReviewDecisionDto } from '../../api/reviews/reviews.dto';
import { ChargingDecisionDto, ReturnFileDto, SubmitFileDto, TriageFileDto } from '../../api/submissions/submissions.dto';

/** What an event refers to by the file's own names: earlier requests, files, plans, actions and reviews, and suspects by number. */
export type RefKind = 'request' | 'submission' | 'plan' | 'action' | 'review' | 'suspect';

/** Resolves the file's references to ids, and gives new things their (derived, stable) ids. */
export interface EventRefs {
  /** The id an earlier event gave to `ref` (refused if none did). */
  id(kind: RefKind, ref: unknown): string;
  /** A new id for what this event creates, remembered under its `ref` when it has one. */
  create(kind: Exclude<RefKind, 'suspect'>, ref: unknown): string;
  /** Ids and time for a new action plan, remembering each action under its own `ref`. */
  plan(planRef: unknown, actionRefs: unknown[]): PlanContext;
}

interface EventSpec<D extends object> {
  /** The request body its route takes: the event's own fields are validated by it, as the route validates them. */
  dto?: Type<D>;
  /** The fields that name earlier things (not part of the route's body). */
  refs?: RefKind[];
  build(body: D, event: Record<string, unknown>, refs: EventRefs): BuiltCommand;
}

const spec = <D extends object>(s: EventSpec<D>) => s as unknown as EventSpec<object>;

/** Actions of a plan in the file carry their own `ref` beside the route's fields; the route's body has no such field. */
function withoutActionRefs<T extends { actionPlan?: { actions: object[] } }>(event: Record<string, unknown>): { body: T; actionRefs: unknown[] } {
  const plan = event.actionPlan as { actions?: Record<string, unknown>[] } | undefined;
  if (!plan?.actions || !Array.isArray(plan.actions)) return { body: event as T, actionRefs: [] };
  const actionRefs = plan.actions.map((a) => (a && typeof a === 'object' ? a.ref : undefined));
  return { body: { ...event, actionPlan: { ...plan, actions: plan.actions.map((a) => (a && typeof a === 'object' ? Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'ref')) : a)) } } as T, actionRefs };
}

/**
 * Every event of a case's past the import accepts, by its name in the file, with the route whose body it carries.
 * Each becomes exactly the command that route builds (case-command-builders.ts), then goes through the pipeline's rules.
 */
export const IMPORT_EVENTS: Record<string, EventSpec<object>> = {
  'early-advice.requested': spec({ dto: RequestEarlyAdviceDto, build: (b, e, r) => buildCommand.requestEarlyAdvice(r.create('request', e.ref), b) }),
  'early-advice.endorsed': spec({ refs: ['request'], build: (_b, e, r) => buildCommand.endorseEarlyAdvice(r.id('request', e.request)) }),
  'early-advice.not-sought': spec({ dto: ReasonDto, build: (b) => buildCommand.earlyAdviceNotSought(b) }),
  'early-advice.triaged': spec({ dto: TriageEarlyAdviceDto, refs: ['request'], build: (b, e, r) => buildCommand.triageEarlyAdvice(r.id('request', e.request), b) }),
  'early-advice.appealed': spec({ dto: ReasonDto, refs: ['request'], build: (b, e, r) => buildCommand.appealEarlyAdviceRejection(r.id('request', e.request), b) }),
  'early-advice.given': spec<RecordAdviceDto>({
    dto: RecordAdviceDto, refs: ['request'],
    build: (b, e, r) => buildCommand.recordEarlyAdvice(r.id('request', e.request), b, b.actionPlan ? r.plan(e.ref, withoutActionRefs(e).actionRefs) : undefined),
  }),
  'action.completed': spec({ dto: NoteDto, refs: ['action'], build: (b, e, r) => buildCommand.completeAction(r.id('action', e.action), b) }),
  'action.re-dated': spec<ChangeDueDateDto>({
    dto: ChangeDueDateDto, refs: ['action'],
    build: (b, e, r) => [{ type: 'changeDueDate', clockKey: `actionPlan.item:${r.id('action', e.action)}`, dueAt: new Date(b.dueAt).toISOString(), approverId: b.approverId },
      { document: { kind: 'due-date-change', body: { ...b } }, named: [b.approverId] }],
  }),
  'action-plan.reviewed': spec({ dto: ReviewPlanDto, refs: ['plan'], build: (b, e, r) => buildCommand.reviewActionPlan(r.id('plan', e.plan), b) }),
  'file.submitted': spec({ dto: SubmitFileDto, build: (b, e, r) => buildCommand.submitFile(r.create('submission', e.ref), b) }),
  'file.approved': spec({ refs: ['submission'], build: (_b, e, r) => buildCommand.approveSubmission(r.id('submission', e.submission)) }),
  'file.returned': spec({ dto: ReturnFileDto, refs: ['submission'], build: (b, e, r) => buildCommand.returnSubmission(r.id('submission', e.submission), b) }),
  'file.triaged': spec({ dto: TriageFileDto, refs: ['submission'], build: (b, e, r) => buildCommand.triageSubmission(r.id('submission', e.submission), b) }),
  'decision.made': spec<ChargingDecisionDto>({
    dto: ChargingDecisionDto, refs: ['submission'],
    build: (b, e, r) => buildCommand.chargingDecision(r.id('submission', e.submission), b, b.actionPlan ? r.plan(e.ref, withoutActionRefs(e).actionRefs) : undefined),
  }),
  'police-nfa.recorded': spec({ dto: PoliceNfaDto, build: (b) => buildCommand.policeNfa(b) }),
  'victim.contacted': spec({ dto: VictimContactDto, build: (b) => buildCommand.victimContact(b) }),
  'victim.withdrew': spec({ dto: ReasonDto, build: (b) => buildCommand.victimWithdrawal(b) }),
  'victim.withdrawal-reviewed': spec({ dto: WithdrawalReviewDto, build: (b) => buildCommand.reviewVictimWithdrawal(b) }),
  'case.admin-finalised': spec({ dto: ReasonDto, build: (b) => buildCommand.adminFinalise(b) }),
  'case.closed': spec({ build: () => buildCommand.closeCase() }),
  'case.reopened': spec({ dto: ReopenDto, build: (b) => buildCommand.reopenCase(b) }),
  'review.requested': spec({ dto: RequestReviewDto, build: (b, e, r) => buildCommand.requestVictimReview(r.create('review', e.ref), b) }),
  'review.acknowledged': spec({ refs: ['review'], build: (_b, e, r) => buildCommand.acknowledgeVictimReview(r.id('review', e.review)) }),
  'review.decided': spec({ dto: ReviewDecisionDto, refs: ['review'], build: (b, e, r) => buildCommand.decideVictimReview(r.id('review', e.review), b) }),
  'bail.started': spec({ dto: BailDto, refs: ['suspect'], build: (b, e, r) => buildCommand.recordBail(r.id('suspect', e.suspect), b) }),
  'bail.extended': spec({ dto: ExtendBailDto, refs: ['suspect'], build: (b, e, r) => buildCommand.extendBail(r.id('suspect', e.suspect), b) }),
  'rui.recorded': spec({ refs: ['suspect'], build: (_b, e, r) => buildCommand.releaseUnderInvestigation(r.id('suspect', e.suspect)) }),
  'bail.court-application': spec({ dto: CourtBailApplicationDto, refs: ['suspect'], build: (b, e, r) => buildCommand.applyForCourtBailExtension(r.id('suspect', e.suspect), b) }),
  'bail.court-decision': spec({ dto: CourtBailDecisionDto, refs: ['suspect'], build: (b, e, r) => buildCommand.courtBailDecision(r.id('suspect', e.suspect), b) }),
};

export const IMPORT_EVENT_TYPES = Object.keys(IMPORT_EVENTS);

/** The fields every event has beside its route's body. */
export const EVENT_META = ['type', 'at', 'by', 'ref'] as const;

/** Fields that name a person: the file may give a directory id or the person's email. */
export const PERSON_FIELDS = ['by', 'officerId', 'prosecutorId', 'approverId', 'authorisedBy', 'dcpReviewerId'] as const;

/** The event's route body: its fields without the meta fields, its references and the actions' refs. */
export function routeBody(event: Record<string, unknown>, refs: RefKind[] = []): Record<string, unknown> {
  const body = withoutActionRefs<Record<string, unknown> & { actionPlan?: { actions: object[] } }>(event).body;
  return Object.fromEntries(Object.entries(body).filter(([k]) => !(EVENT_META as readonly string[]).includes(k) && !(refs as string[]).includes(k)));
}
