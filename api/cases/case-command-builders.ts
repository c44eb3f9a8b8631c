import type { CaseCommand } from '../../workflows/contracts';
import { toActionPlan } from '../action-plans/action-plan.mapper';
import type { ReviewPlanDto } from '../action-plans/action-plans.dto';
import type { PoliceNfaDto, ReopenDto, VictimContactDto, WithdrawalReviewDto } from '../case-outcomes/case-outcomes.dto';
import type { NoteDto, ReasonDto } from '../common/dto';
import type { BailDto, CourtBailApplicationDto, CourtBailDecisionDto, ExtendBailDto } from '../custody/custody.dto';
import type { RecordAdviceDto, RequestEarlyAdviceDto, TriageEarlyAdviceDto } from '../early-advice/early-advice.dto';
import type { RequestReviewDto, ReviewDecisionDto } from '../reviews/reviews.dto';
import type { ChargingDecisionDto, ReturnFileDto, SubmitFileDto, TriageFileDto } from '../submissions/submissions.dto';

/** A command with what goes beside it: its free text (stored as a case document) and the people it names. */
export type BuiltCommand = [CaseCommand, { document?: { kind: string; body: object }; named?: string[] }];

/** How new action plans get their ids and when "in the past" is: now and random for a route, the event's for an import. */
export interface PlanContext { now?: number; id?: () => string }

const instant = (value: string) => new Date(value).toISOString();

/**
 * Each case command as built from its request body: one place, used by the routes' services and by the import of a
 * case's past, so an imported event is exactly the command its route would have sent.
 */
export const buildCommand = {
  requestEarlyAdvice: (requestId: string, dto: RequestEarlyAdviceDto): BuiltCommand =>
    [{ type: 'requestEarlyAdvice', requestId }, { document: { kind: 'early-advice-request', body: { ...dto } } }],
  earlyAdviceNotSought: (dto: ReasonDto): BuiltCommand => [{ type: 'recordEarlyAdviceNotSought' }, { document: { kind: 'early-advice-not-sought', body: { ...dto } } }],
  endorseEarlyAdvice: (requestId: string): BuiltCommand => [{ type: 'endorseEarlyAdvice', requestId }, {}],
  triageEarlyAdvice: (requestId: string, dto: TriageEarlyAdviceDto): BuiltCommand => dto.decision === 'accept'
    ? [{ type: 'triageEarlyAdvice', requestId, decision: 'accept', prosecutorId: dto.prosecutorId! }, {}]
    : [{ type: 'triageEarlyAdvice', requestId, decision: 'reject', reasons: dto.reasons!, respondBy: dto.respondBy && instant(dto.respondBy) },
      dto.note ? { document: { kind: 'early-advice-rejection', body: { note: dto.note } } } : {}],
  appealEarlyAdviceRejection: (requestId: string, dto: ReasonDto): BuiltCommand =>
    [{ type: 'appealEarlyAdviceRejection', requestId }, { document: { kind: 'early-advice-appeal', body: { ...dto } } }],
  recordEarlyAdvice: (requestId: string, dto: RecordAdviceDto, plans?: PlanContext): BuiltCommand => {
    const plan = dto.actionPlan && toActionPlan(dto.actionPlan, plans);
    return [{ type: 'recordEarlyAdvice', requestId, actionPlan: plan?.plan }, { document: { kind: 'early-advice', body: { advice: dto.advice, actionPlan: plan?.document } } }];
  },
  completeAction: (actionId: string, dto: NoteDto): BuiltCommand => [{ type: 'completeAction', actionId }, { document: { kind: 'action-completion', body: { actionId, note: dto.note } } }],
  reviewActionPlan: (planId: string, dto: ReviewPlanDto): BuiltCommand =>
    [{ type: 'reviewActionPlan', planId, outcome: dto.outcome }, dto.note ? { document: { kind: 'action-plan-review', body: { note: dto.note } } } : {}],
  submitFile: (submissionId: string, dto: SubmitFileDto): BuiltCommand => {
    const { report, ...rest } = dto;
    return [{ type: 'submitFile', submissionId, test: rest.test, category: rest.category, checklist: { ...rest.checklist } }, { document: { kind: 'charging-submission', body: { report } } }];
  },
  approveSubmission: (submissionId: string): BuiltCommand => [{ type: 'approveSubmission', submissionId }, {}],
  returnSubmission: (submissionId: string, dto: ReturnFileDto): BuiltCommand =>
    [{ type: 'returnSubmission', submissionId, reasons: dto.reasons }, dto.note ? { document: { kind: 'file-return', body: { note: dto.note } } } : {}],
  triageSubmission: (submissionId: string, dto: TriageFileDto): BuiltCommand => dto.decision === 'accept'
    ? [{ type: 'triageSubmission', submissionId, decision: 'accept', prosecutorId: dto.prosecutorId! }, {}]
    : [{ type: 'triageSubmission', submissionId, decision: 'return', reasons: dto.reasons! }, {}],
  chargingDecision: (submissionId: string, dto: ChargingDecisionDto, plans?: PlanContext): BuiltCommand => {
    const document = { kind: 'charging-decision', body: { decision: dto.decision, grounds: dto.grounds } as Record<string, unknown> };
    if (dto.decision === 'returned') return [{ type: 'triageSubmission', submissionId, decision: 'return', reasons: dto.reasons! }, { document }];
    const plan = dto.decision === 'action-plan' && dto.actionPlan ? toActionPlan(dto.actionPlan, plans) : undefined;
    if (plan) document.body.actionPlan = plan.document;
    return [{
      type: 'recordChargingDecision', submissionId, decision: dto.decision,
      nfaGround: dto.outcomeCode === 9 ? 'public-interest' : dto.outcomeCode === 15 ? 'evidential' : undefined,
      actionPlan: plan?.plan, preNfaMeetingAt: dto.preNfaMeetingAt && instant(dto.preNfaMeetingAt), dcpReviewerId: dto.dcpReviewerId,
      ...(dto.fullCodeReviewBy ? { fullCodeReviewBy: instant(dto.fullCodeReviewBy) } : {}),
    }, { document, named: dto.dcpReviewerId ? [dto.dcpReviewerId] : [] }];
  },
  victimContact: (dto: VictimContactDto): BuiltCommand => [{ type: 'recordVictimContact', kind: dto.kind }, { document: { kind: 'victim-contact', body: { ...dto } } }],
  victimWithdrawal: (dto: ReasonDto): BuiltCommand => [{ type: 'recordVictimWithdrawal' }, { document: { kind: 'victim-withdrawal', body: { ...dto } } }],
  reviewVictimWithdrawal: (dto: WithdrawalReviewDto): BuiltCommand => [{ type: 'reviewVictimWithdrawal', decision: dto.decision }, { document: { kind: 'withdrawal-review', body: { ...dto } } }],
  policeNfa: (dto: PoliceNfaDto): BuiltCommand => [{ type: 'recordPoliceNfa', outcomeCode: dto.outcomeCode }, { document: { kind: 'police-nfa', body: { ...dto } } }],
  adminFinalise: (dto: ReasonDto): BuiltCommand => [{ type: 'adminFinalise' }, { document: { kind: 'admin-finalisation', body: { ...dto } } }],
  closeCase: (): BuiltCommand => [{ type: 'closeCase' }, {}],
  reopenCase: (dto: ReopenDto): BuiltCommand => [{ type: 'reopenCase', ground: dto.ground }, { document: { kind: 'reopening', body: { ...dto } } }],
  requestVictimReview: (reviewId: string, dto: RequestReviewDto): BuiltCommand =>
    [{ type: 'requestVictimReview', reviewId, scheme: dto.scheme }, { document: { kind: 'review-request', body: { ...dto } } }],
  acknowledgeVictimReview: (reviewId: string): BuiltCommand => [{ type: 'acknowledgeVictimReview', reviewId }, {}],
  decideVictimReview: (reviewId: string, dto: ReviewDecisionDto): BuiltCommand =>
    [{ type: 'decideVictimReview', reviewId, outcome: dto.outcome }, { document: { kind: 'review-decision', body: { ...dto } } }],
  recordBail: (suspectId: string, dto: BailDto): BuiltCommand =>
    [{ type: 'recordBail', suspectId, startedAt: instant(dto.startedAt) }, dto.conditions ? { document: { kind: 'bail-conditions', body: { conditions: dto.conditions } } } : {}],
  extendBail: (suspectId: string, dto: ExtendBailDto): BuiltCommand =>
    [{ type: 'extendBail', suspectId, authorisedById: dto.authorisedBy, courtOrderedUntil: dto.courtOrderedUntil && instant(dto.courtOrderedUntil) }, { named: [dto.authorisedBy] }],
  releaseUnderInvestigation: (suspectId: string): BuiltCommand => [{ type: 'recordReleaseUnderInvestigation', suspectId }, {}],
  applyForCourtBailExtension: (suspectId: string, dto: CourtBailApplicationDto): BuiltCommand => [{ type: 'applyForCourtBailExtension', suspectId, extendTo: dto.extendTo }, {}],
  courtBailDecision: (suspectId: string, dto: CourtBailDecisionDto): BuiltCommand =>
    [{ type: 'recordCourtBailDecision', suspectId, decision: dto.decision, ...(dto.until ? { until: instant(dto.until) } : {}) }, {}],
};
