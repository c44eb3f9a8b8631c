import type { Type } from '@nestjs/common';
import { ActionPlansController } from '../../../api/action-plans/action-plans.controller';
import { ReviewPlanDto } from '../../../api/action-plans/action-plans.dto';
import { ActionPlansService } from '../../../api/action-plans/action-plans.service';
import { ROLES_KEY, type Principal } from '../../../api/auth/principal';
import { CaseOutcomesController } from '../../../api/case-outcomes/case-outcomes.controller';
import { PoliceNfaDto, ReopenDto, VictimContactDto, WithdrawalReviewDto } from '../../../api/case-outcomes/case-outcomes.dto';
import { CaseOutcomesService } from '../../../api/case-outcomes/case-outcomes.service';
import { ClocksController } from '../../../api/clocks/clocks.controller';
import { ChangeDueDateDto, PauseClockDto } from '../../../api/clocks/clocks.dto';
import { ClocksService } from '../../../api/clocks/clocks.service';
import { NoteDto, ReasonDto } from '../../../api/common/dto';
import { CustodyController } from '../../../api/custody/custody.controller';
import {
  ArrivalInCustodyDto, BailDto, CourtBailApplicationDto, CourtBailDecisionDto, DetentionReviewDto, ExceptionallyComplexDto, ExtendBailDto, ExtendDetentionDto,
  WarrantOfFurtherDetentionDto,
} from '../../../api/custody/custody.dto';
import { CustodyService } from '../../../api/custody/custody.service';
import { EarlyAdviceController } from '../../../api/early-advice/early-advice.controller';
import { RecordAdviceDto, RequestEarlyAdviceDto, TriageEarlyAdviceDto } from '../../../api/early-advice/early-advice.dto';
import { EarlyAdviceService } from '../../../api/early-advice/early-advice.service';
import { ReviewsController } from '../../../api/reviews/reviews.controller';
import { RequestReviewDto, ReviewDecisionDto } from '../../../api/reviews/reviews.dto';
import { ReviewsService } from '../../../api/reviews/reviews.service';
import { SubmissionsController } from '../../../api/submissions/submissions.controller';
import { ChargingDecisionDto, ReturnFileDto, SubmitFileDto, TriageFileDto } from '../../../api/submissions/submissions.dto';
import { SubmissionsService } from '../../../api/submissions/submissions.service';
import {
  type CaseCommandType, COURT_BAIL_LIMITS, EA_REJECTION_REASONS, FILE_RETURN_REASONS, NFS_CHECKLIST, type Role, VICTIM_CONTACT_KINDS,
} from '../../../workflows/contracts';
import type { Field } from '../../common/forms';

/** The services a form may call: the same ones the API's routes call. */
export interface Services { get<T>(type: Type<T>): T }

/**
 * One form on the case page for one case command. It appears when the case workflow says the command is available to
 * the viewer (the `caseActions` query) and the viewer holds a role of the API route it mirrors (that route's @Roles);
 * it posts the same body as that route, validated by the same DTO, to the same service.
 */
export interface CaseForm {
  key: string;
  command: CaseCommandType;
  title: string;
  button: string;
  /** What the form is about, when it is about one item (`targetId` names it). */
  target?: 'early-advice' | 'action' | 'action-plan' | 'submission' | 'clock' | 'suspect' | 'review';
  fields: Field[];
  dto?: Type<object>;
  /** The API route this form mirrors: its roles decide who sees the form. */
  route: [Type<unknown>, string];
  submit(services: Services, principal: Principal, caseId: string, targetId: string, body: never): Promise<unknown>;
  done: string;
  /** Warns before a step that cannot be undone. */
  warning?: string;
  /** The choice the rules narrow (`requestVictimReview`'s scheme): only the variants they accept are offered. */
  variantField?: string;
}

const reason = (label = 'Reason'): Field => ({ kind: 'textarea', path: 'reason', label });
const actionRows = (prefix: string, rows = 3): Field[] => Array.from({ length: rows }, (_, i) => [
  { kind: 'textarea', path: `${prefix}.actions.${i}.description`, label: `Action ${i + 1}: what must be done`, rows: 2, optional: true } as Field,
  { kind: 'radios', path: `${prefix}.actions.${i}.owner`, label: `Action ${i + 1}: who does it`, labels: 'organisation', values: ['police', 'cps'] } as Field,
  { kind: 'date', path: `${prefix}.actions.${i}.dueAt`, label: `Action ${i + 1}: agreed due date`, optional: true } as Field,
  { kind: 'yesno', path: `${prefix}.actions.${i}.decisionCritical`, label: `Action ${i + 1}: is it decision-critical?` } as Field,
]).flat();

export const CASE_FORMS: CaseForm[] = [
  {
    key: 'request-early-advice', command: 'requestEarlyAdvice', title: 'Request Early Advice from the CPS', button: 'Request Early Advice',
    route: [EarlyAdviceController, 'request'], dto: RequestEarlyAdviceDto, done: 'Early Advice requested.',
    fields: [
      { kind: 'textarea', path: 'summary', label: 'Factual summary', hint: 'At least 20 characters. Stored with the case, never emailed.' },
      { kind: 'lines', path: 'linesOfInquiry', label: 'Lines of inquiry', hint: 'Done, ongoing and planned, with expected results and timescales: one per line' },
      { kind: 'lines', path: 'issues', label: 'Issues identified', hint: "Including any account from the suspect: one per line" },
      { kind: 'lines', path: 'questions', label: 'What advice is sought', hint: 'The specific matters for the prosecutor: one per line' },
      { kind: 'lines', path: 'material', label: 'Material supplied (optional)', hint: 'For example ABE interview, interview record: one per line' },
    ],
    submit: (s, p, caseId, _t, dto: RequestEarlyAdviceDto) => s.get(EarlyAdviceService).request(p, caseId, dto),
  },
  {
    key: 'early-advice-not-sought', command: 'recordEarlyAdviceNotSought', title: 'Record that Early Advice is not sought', button: 'Record the reason',
    route: [EarlyAdviceController, 'notSought'], dto: ReasonDto, done: 'Recorded why Early Advice is not sought.',
    fields: [reason('Why Early Advice is not sought')],
    submit: (s, p, caseId, _t, dto: ReasonDto) => s.get(EarlyAdviceService).notSought(p, caseId, dto),
  },
  {
    key: 'endorse-early-advice', command: 'endorseEarlyAdvice', target: 'early-advice', title: 'Endorse the Early Advice request', button: 'Endorse and send to the CPS',
    route: [EarlyAdviceController, 'endorse'], done: 'Early Advice request endorsed and sent to CPS triage.', fields: [],
    submit: (s, p, _c, requestId) => s.get(EarlyAdviceService).endorse(p, requestId),
  },
  {
    key: 'triage-early-advice', command: 'triageEarlyAdvice', target: 'early-advice', title: 'Triage the Early Advice request', button: 'Record the triage decision',
    route: [EarlyAdviceController, 'triage'], dto: TriageEarlyAdviceDto, done: 'Triage decision recorded.',
    fields: [
      { kind: 'radios', path: 'decision', label: 'Decision', labels: 'triage', values: ['accept', 'reject'] },
      { kind: 'person', path: 'prosecutorId', label: 'Prosecutor to allocate (to accept)', people: 'prosecutors', optional: true },
      { kind: 'checkboxes', path: 'reasons', label: 'Reasons (to reject)', labels: 'eaRejection', values: EA_REJECTION_REASONS },
      { kind: 'date', path: 'respondBy', label: 'Police to respond by (optional, to reject)', optional: true },
      { kind: 'textarea', path: 'note', label: 'Note (optional)', optional: true },
    ],
    submit: (s, p, _c, requestId, dto: TriageEarlyAdviceDto) => s.get(EarlyAdviceService).triage(p, requestId, dto),
  },
  {
    key: 'appeal-early-advice', command: 'appealEarlyAdviceRejection', target: 'early-advice', title: 'Appeal the Early Advice rejection', button: 'Appeal to the DCP',
    route: [EarlyAdviceController, 'appeal'], dto: ReasonDto, done: 'Appeal sent to the DCP.', fields: [reason('Grounds of appeal')],
    submit: (s, p, _c, requestId, dto: ReasonDto) => s.get(EarlyAdviceService).appeal(p, requestId, dto),
  },
  {
    key: 'record-advice', command: 'recordEarlyAdvice', target: 'early-advice', title: 'Record Early Advice and an action plan', button: 'Record the advice',
    route: [EarlyAdviceController, 'advice'], dto: RecordAdviceDto, done: 'Early Advice recorded.',
    fields: [{ kind: 'textarea', path: 'advice', label: 'Advice', hint: 'At least 20 characters', rows: 8 }, ...actionRows('actionPlan')],
    submit: (s, p, _c, requestId, dto: RecordAdviceDto) => s.get(EarlyAdviceService).advise(p, requestId, dto),
  },
  {
    key: 'complete-action', command: 'completeAction', target: 'action', title: 'Complete this action', button: 'Mark the action complete',
    route: [ActionPlansController, 'complete'], dto: NoteDto, done: 'Action completed.',
    fields: [{ kind: 'textarea', path: 'note', label: 'What was done', rows: 3 }],
    submit: (s, p, _c, actionId, dto: NoteDto) => s.get(ActionPlansService).complete(p, actionId, dto),
  },
  {
    key: 'review-action-plan', command: 'reviewActionPlan', target: 'action-plan', title: 'Review the action plan', button: 'Record the review',
    route: [ActionPlansController, 'review'], dto: ReviewPlanDto, done: 'Action plan review recorded.',
    fields: [
      { kind: 'radios', path: 'outcome', label: 'Outcome', labels: 'planReview', values: ['ready-to-submit', 'continue'] },
      { kind: 'textarea', path: 'note', label: 'Note (optional)', optional: true, rows: 3 },
    ],
    submit: (s, p, _c, planId, dto: ReviewPlanDto) => s.get(ActionPlansService).review(p, planId, dto),
  },
  {
    key: 'submit-file', command: 'submitFile', title: 'Submit the file for a charging decision', button: 'Submit to the gatekeeper',
    route: [SubmissionsController, 'submit'], dto: SubmitFileDto, done: 'File submitted: it is with the gatekeeper.',
    fields: [
      { kind: 'radios', path: 'test', label: 'Test', labels: 'test', values: ['full-code', 'threshold'] },
      { kind: 'radios', path: 'category', label: 'Category', labels: 'category', values: ['green', 'green-priority', 'red'], hint: 'Red: suspect in custody' },
      { kind: 'checklist', path: 'checklist', label: 'National File Standard: material supplied', labels: 'nfs', values: NFS_CHECKLIST, hint: 'A full code test submission needs every item' },
      { kind: 'textarea', path: 'report', label: 'MG3: report to the CPS', hint: 'At least 20 characters', rows: 8 },
    ],
    submit: (s, p, caseId, _t, dto: SubmitFileDto) => s.get(SubmissionsService).submit(p, caseId, dto),
  },
  {
    key: 'approve-file', command: 'approveSubmission', target: 'submission', title: 'Approve the file as gatekeeper', button: 'Approve and send to the CPS',
    route: [SubmissionsController, 'approve'], done: 'File approved and sent to CPS triage.', fields: [],
    submit: (s, p, _c, submissionId) => s.get(SubmissionsService).approve(p, submissionId),
  },
  {
    key: 'return-file', command: 'returnSubmission', target: 'submission', title: 'Return the file to the officer', button: 'Return the file',
    route: [SubmissionsController, 'return'], dto: ReturnFileDto, done: 'File returned to the officer.',
    fields: [
      { kind: 'checkboxes', path: 'reasons', label: 'Reasons', labels: 'fileReturn', values: FILE_RETURN_REASONS },
      { kind: 'textarea', path: 'note', label: 'Note (optional)', optional: true, rows: 3 },
    ],
    submit: (s, p, _c, submissionId, dto: ReturnFileDto) => s.get(SubmissionsService).returnFile(p, submissionId, dto),
  },
  {
    key: 'triage-file', command: 'triageSubmission', target: 'submission', title: 'Triage the charging file', button: 'Record the triage decision',
    route: [SubmissionsController, 'triage'], dto: TriageFileDto, done: 'Triage decision recorded.',
    fields: [
      { kind: 'radios', path: 'decision', label: 'Decision', labels: 'fileTriage', values: ['accept', 'return'] },
      { kind: 'person', path: 'prosecutorId', label: 'Reviewing prosecutor (to accept)', people: 'prosecutors', optional: true },
      { kind: 'checkboxes', path: 'reasons', label: 'Reasons (to return)', labels: 'fileReturn', values: FILE_RETURN_REASONS },
    ],
    submit: (s, p, _c, submissionId, dto: TriageFileDto) => s.get(SubmissionsService).triage(p, submissionId, dto),
  },
  {
    key: 'decide', command: 'recordChargingDecision', target: 'submission', title: 'Record the charging decision', button: 'Record the decision',
    route: [SubmissionsController, 'decide'], dto: ChargingDecisionDto, done: 'Charging decision recorded.',
    warning: 'A decision to charge or not to charge ends the pre-charge clocks.',
    fields: [
      { kind: 'radios', path: 'decision', label: 'Decision', labels: 'decision', values: ['charge', 'nfa', 'action-plan', 'returned'] },
      { kind: 'textarea', path: 'grounds', label: 'Rationale', hint: 'Evidential and public interest stages; at least 20 characters', rows: 8 },
      { kind: 'radios', path: 'outcomeCode', label: 'Outcome code (for no further action)', labels: 'outcome', values: [15, 9], numeric: true },
      { kind: 'date', path: 'preNfaMeetingAt', label: 'Date of the pre-NFA meeting with the investigator (rape cases)', optional: true, at: '09:00' },
      { kind: 'person', path: 'dcpReviewerId', label: 'DCP who reviewed a second action plan (if any)', people: 'dcps', optional: true },
      { kind: 'date', path: 'fullCodeReviewBy', label: 'Charge on the Threshold Test: Full Code Test review due by (optional)', hint: 'Left blank, the policy\u2019s default applies', optional: true },
      { kind: 'checkboxes', path: 'reasons', label: 'Reasons (to return the file)', labels: 'fileReturn', values: FILE_RETURN_REASONS },
      ...actionRows('actionPlan'),
    ],
    submit: (s, p, _c, submissionId, dto: ChargingDecisionDto) => s.get(SubmissionsService).decide(p, submissionId, dto),
  },
  {
    key: 'full-code-test-review', command: 'recordFullCodeTestReview', target: 'submission', title: 'Record the Full Code Test review of the Threshold Test charge', button: 'Record the review',
    route: [SubmissionsController, 'fullCodeTestReview'], dto: NoteDto, done: 'Full Code Test review recorded.',
    fields: [{ kind: 'textarea', path: 'note', label: 'The review under the Full Code Test', rows: 6 }],
    submit: (s, p, _c, submissionId, dto: NoteDto) => s.get(SubmissionsService).fullCodeTestReview(p, submissionId, dto),
  },
  {
    key: 'pause-clock', command: 'pauseClock', target: 'clock', title: 'Pause this clock', button: 'Pause the clock',
    route: [ClocksController, 'pause'], dto: PauseClockDto, done: 'Clock paused.',
    fields: [{ kind: 'radios', path: 'heldBy', label: 'Who holds the case while it is paused', labels: 'organisation', values: ['police', 'cps', 'third-party'] }, reason()],
    submit: (s, p, _c, key, dto: PauseClockDto) => s.get(ClocksService).pause(p, key, dto),
  },
  {
    key: 'resume-clock', command: 'resumeClock', target: 'clock', title: 'Resume this clock', button: 'Resume the clock',
    route: [ClocksController, 'resume'], dto: ReasonDto, done: 'Clock resumed.', fields: [reason()],
    submit: (s, p, _c, key, dto: ReasonDto) => s.get(ClocksService).resume(p, key, dto),
  },
  {
    key: 'change-due-date', command: 'changeDueDate', target: 'clock', title: 'Move the due date', button: 'Move the due date',
    route: [ClocksController, 'changeDueDate'], dto: ChangeDueDateDto, done: 'Due date moved.',
    fields: [
      { kind: 'date', path: 'dueAt', label: 'New due date' },
      { kind: 'person', path: 'approverId', label: 'Approved by', hint: 'A police DS or a DCP or above, not you', people: 'approvers' },
      reason(),
    ],
    submit: (s, p, _c, key, dto: ChangeDueDateDto) => s.get(ClocksService).changeDueDate(p, key, dto),
  },
  {
    key: 'record-bail', command: 'recordBail', target: 'suspect', title: 'Record pre-charge bail', button: 'Record bail',
    route: [CustodyController, 'bail'], dto: BailDto, done: 'Bail recorded: its expiry clock is running.',
    fields: [
      { kind: 'date', path: 'startedAt', label: 'Bail start date', at: '09:00' },
      { kind: 'person', path: 'authorisedBy', label: 'Custody officer who authorised bail', people: 'police' },
      { kind: 'textarea', path: 'conditions', label: 'Conditions (optional)', hint: "Stored, never emailed; record that the victim's views were sought", optional: true, rows: 3 },
    ],
    submit: (s, p, caseId, suspectId, dto: BailDto) => s.get(CustodyService).bail(p, caseId, suspectId, dto),
  },
  {
    key: 'extend-bail', command: 'extendBail', target: 'suspect', title: 'Extend bail', button: 'Extend bail',
    route: [CustodyController, 'extend'], dto: ExtendBailDto, done: 'Bail extended.',
    fields: [
      { kind: 'person', path: 'authorisedBy', label: 'Authorised by', hint: 'An Inspector to 6 months, a Superintendent to 9 months', people: 'police' },
      { kind: 'date', path: 'courtOrderedUntil', label: "Beyond 9 months: the date to which a magistrates' court extended bail", optional: true },
    ],
    submit: (s, p, caseId, suspectId, dto: ExtendBailDto) => s.get(CustodyService).extendBail(p, caseId, suspectId, dto),
  },
  {
    key: 'release-under-investigation', command: 'recordReleaseUnderInvestigation', target: 'suspect', title: 'Record release under investigation', button: 'Record RUI',
    route: [CustodyController, 'rui'], done: 'Release under investigation recorded.', fields: [],
    submit: (s, p, caseId, suspectId) => s.get(CustodyService).rui(p, caseId, suspectId),
  },
  {
    key: 'exceptionally-complex', command: 'designateExceptionallyComplex', target: 'suspect', title: 'Record the designation as exceptionally complex', button: 'Record the designation',
    route: [CustodyController, 'exceptionallyComplex'], dto: ExceptionallyComplexDto, done: 'Designation recorded: the court may extend bail to 18 or 24 months.',
    fields: [
      { kind: 'person', path: 'authorisedBy', label: 'Designated by', hint: 'A Commander or Assistant Chief Constable, or above', people: 'police' },
      { kind: 'date', path: 'dppConsultedAt', label: 'Date the DPP was consulted', at: '09:00' },
    ],
    submit: (s, p, caseId, suspectId, dto: ExceptionallyComplexDto) => s.get(CustodyService).designateExceptionallyComplex(p, caseId, suspectId, dto),
  },
  {
    key: 'court-bail-application', command: 'applyForCourtBailExtension', target: 'suspect', title: "Record the application to the magistrates' court to extend bail", button: 'Record the application',
    route: [CustodyController, 'courtApplication'], dto: CourtBailApplicationDto, done: 'Court application recorded.',
    fields: [{ kind: 'radios', path: 'extendTo', label: 'Extension asked for, from the bail start', labels: 'courtBailLimit', values: COURT_BAIL_LIMITS }],
    submit: (s, p, caseId, suspectId, dto: CourtBailApplicationDto) => s.get(CustodyService).applyForCourtExtension(p, caseId, suspectId, dto),
  },
  {
    key: 'court-bail-decision', command: 'recordCourtBailDecision', target: 'suspect', title: "Record the court's decision on extending bail", button: 'Record the decision',
    route: [CustodyController, 'courtDecision'], dto: CourtBailDecisionDto, done: "Court's decision recorded.",
    fields: [
      { kind: 'radios', path: 'decision', label: 'Decision', labels: 'courtDecision', values: ['granted', 'refused'] },
      { kind: 'date', path: 'until', label: 'Granted: bail extended to', optional: true },
    ],
    submit: (s, p, caseId, suspectId, dto: CourtBailDecisionDto) => s.get(CustodyService).courtDecision(p, caseId, suspectId, dto),
  },
  {
    key: 'arrival-in-custody', command: 'recordArrivalInCustody', target: 'suspect', title: 'Record arrival in custody', button: 'Record the arrival',
    route: [CustodyController, 'arrival'], dto: ArrivalInCustodyDto, done: 'Arrival recorded: the detention clock is running.',
    fields: [
      { kind: 'date', path: 'relevantTime', label: 'Relevant time (arrival at the station)', time: 'instant' },
      { kind: 'person', path: 'custodyOfficerId', label: 'Custody officer', people: 'police' },
    ],
    submit: (s, p, caseId, suspectId, dto: ArrivalInCustodyDto) => s.get(CustodyService).arrival(p, caseId, suspectId, dto),
  },
  {
    key: 'detention-review', command: 'recordDetentionReview', target: 'suspect', title: 'Record a review of detention', button: 'Record the review',
    route: [CustodyController, 'review'], dto: DetentionReviewDto, done: 'Review recorded: the next is due in 9 hours.',
    fields: [
      { kind: 'person', path: 'reviewerId', label: 'Review officer', hint: 'An Inspector or above, not directly involved in the investigation', people: 'police' },
      { kind: 'textarea', path: 'note', label: 'Review record (optional)', optional: true, rows: 3 },
    ],
    submit: (s, p, caseId, suspectId, dto: DetentionReviewDto) => s.get(CustodyService).review(p, caseId, suspectId, dto),
  },
  {
    key: 'extend-detention', command: 'extendDetention', target: 'suspect', title: 'Extend detention to 36 hours', button: 'Record the extension',
    route: [CustodyController, 'extendDetention'], dto: ExtendDetentionDto, done: 'Detention extended to 36 hours from the relevant time.',
    fields: [
      { kind: 'person', path: 'authorisedBy', label: 'Authorised by', hint: 'A Superintendent or above, before the 24 hours run out', people: 'police' },
      { kind: 'textarea', path: 'grounds', label: 'Grounds for the extension', rows: 4 },
    ],
    submit: (s, p, caseId, suspectId, dto: ExtendDetentionDto) => s.get(CustodyService).extendDetention(p, caseId, suspectId, dto),
  },
  {
    key: 'detention-warrant', command: 'recordWarrantOfFurtherDetention', target: 'suspect', title: 'Record a warrant of further detention', button: 'Record the warrant',
    route: [CustodyController, 'warrant'], dto: WarrantOfFurtherDetentionDto, done: 'Warrant recorded: the detention clock runs to its expiry.',
    fields: [
      { kind: 'date', path: 'expiresAt', label: 'Warrant expires', hint: 'At most 96 hours from the relevant time', time: 'instant' },
      { kind: 'textarea', path: 'note', label: 'Court and warrant reference (optional)', optional: true, rows: 2 },
    ],
    submit: (s, p, caseId, suspectId, dto: WarrantOfFurtherDetentionDto) => s.get(CustodyService).warrant(p, caseId, suspectId, dto),
  },
  {
    key: 'release-nfa', command: 'releaseWithNoFurtherAction', target: 'suspect', title: 'Release from custody with no further action', button: 'Record the release',
    route: [CustodyController, 'release'], done: 'Release recorded: tell the victim.', fields: [],
    warning: 'To release on bail or under investigation, use those forms instead.',
    submit: (s, p, caseId, suspectId) => s.get(CustodyService).release(p, caseId, suspectId),
  },
  {
    key: 'victim-contact', command: 'recordVictimContact', title: 'Record contact with the victim', button: 'Record the contact',
    route: [CaseOutcomesController, 'contact'], dto: VictimContactDto, done: 'Victim contact recorded.',
    fields: [
      { kind: 'radios', path: 'kind', label: 'What the contact was', labels: 'victimContact', values: VICTIM_CONTACT_KINDS },
      { kind: 'textarea', path: 'note', label: 'What was said or agreed', hint: 'Stored, never emailed', rows: 3 },
    ],
    submit: (s, p, caseId, _t, dto: VictimContactDto) => s.get(CaseOutcomesService).victimContact(p, caseId, dto),
  },
  {
    key: 'victim-withdrawal', command: 'recordVictimWithdrawal', title: 'Record that the victim has withdrawn support', button: 'Record the withdrawal',
    route: [CaseOutcomesController, 'withdrawal'], dto: ReasonDto, done: 'Withdrawal recorded: a supervisor will review the case.',
    fields: [reason("The victim's wishes, as recorded")],
    submit: (s, p, caseId, _t, dto: ReasonDto) => s.get(CaseOutcomesService).withdrawal(p, caseId, dto),
  },
  {
    key: 'review-withdrawal', command: 'reviewVictimWithdrawal', title: "Review the victim's withdrawal", button: 'Record the review',
    route: [CaseOutcomesController, 'reviewWithdrawal'], dto: WithdrawalReviewDto, done: 'Withdrawal review recorded.',
    fields: [
      { kind: 'radios', path: 'decision', label: 'Decision', labels: 'withdrawalReview', values: ['re-engaged', 'evidence-led', 'nfa'] },
      { kind: 'textarea', path: 'rationale', label: 'Rationale', rows: 4 },
    ],
    submit: (s, p, caseId, _t, dto: WithdrawalReviewDto) => s.get(CaseOutcomesService).reviewWithdrawal(p, caseId, dto),
  },
  {
    key: 'police-nfa', command: 'recordPoliceNfa', title: 'Record a police decision of no further action', button: 'Record no further action',
    route: [CaseOutcomesController, 'policeNfa'], dto: PoliceNfaDto, done: 'No further action recorded: tell the victim within one working day.',
    warning: 'This finalises the case and starts the clock to tell the victim.',
    fields: [
      { kind: 'radios', path: 'outcomeCode', label: 'Outcome code', labels: 'outcome', values: [15, 16, 10, 12, 13, 14], numeric: true },
      { kind: 'textarea', path: 'rationale', label: 'Rationale', hint: 'At least 20 characters', rows: 4 },
    ],
    submit: (s, p, caseId, _t, dto: PoliceNfaDto) => s.get(CaseOutcomesService).policeNfa(p, caseId, dto),
  },
  {
    key: 'admin-finalise', command: 'adminFinalise', title: 'Administratively finalise the case', button: 'Finalise',
    route: [CaseOutcomesController, 'adminFinalise'], dto: ReasonDto, done: 'Case administratively finalised.', fields: [reason()],
    submit: (s, p, caseId, _t, dto: ReasonDto) => s.get(CaseOutcomesService).adminFinalise(p, caseId, dto),
  },
  {
    key: 'close-case', command: 'closeCase', title: 'Close the case', button: 'Close the case',
    route: [CaseOutcomesController, 'close'], done: 'Case closed.', fields: [],
    submit: (s, p, caseId) => s.get(CaseOutcomesService).close(p, caseId),
  },
  {
    key: 'reopen-case', command: 'reopenCase', title: 'Reopen the case', button: 'Reopen the case',
    route: [CaseOutcomesController, 'reopen'], dto: ReopenDto, done: 'Case reopened.',
    fields: [{ kind: 'radios', path: 'ground', label: 'Ground', labels: 'reopenGround', values: ['new-evidence', 'review-upheld'] }, reason()],
    submit: (s, p, caseId, _t, dto: ReopenDto) => s.get(CaseOutcomesService).reopen(p, caseId, dto),
  },
  {
    key: 'request-review', command: 'requestVictimReview', title: "Record the victim's request for a review (Right to Review)", button: 'Record the request',
    route: [ReviewsController, 'request'], dto: RequestReviewDto, done: 'Right to Review request recorded.', variantField: 'scheme',
    fields: [
      { kind: 'radios', path: 'scheme', label: 'Scheme', labels: 'scheme', values: ['police', 'cps'] },
      { kind: 'textarea', path: 'request', label: "The victim's request as received", rows: 4 },
    ],
    submit: (s, p, caseId, _t, dto: RequestReviewDto) => s.get(ReviewsService).request(p, caseId, dto),
  },
  {
    key: 'acknowledge-review', command: 'acknowledgeVictimReview', target: 'review', title: 'Acknowledge the review request', button: 'Acknowledge',
    route: [ReviewsController, 'acknowledge'], done: 'Review request acknowledged.', fields: [],
    submit: (s, p, _c, reviewId) => s.get(ReviewsService).acknowledge(p, reviewId),
  },
  {
    key: 'decide-review', command: 'decideVictimReview', target: 'review', title: 'Decide the review', button: 'Record the review decision',
    route: [ReviewsController, 'decide'], dto: ReviewDecisionDto, done: 'Review decision recorded.',
    fields: [{ kind: 'radios', path: 'outcome', label: 'Outcome', labels: 'reviewOutcome', values: ['upheld', 'overturned'] }, { kind: 'textarea', path: 'reasons', label: 'Reasons', rows: 4 }],
    submit: (s, p, _c, reviewId, dto: ReviewDecisionDto) => s.get(ReviewsService).decide(p, reviewId, dto),
  },
];

export const caseForm = (key: string) => CASE_FORMS.find((f) => f.key === key);

/** The roles of the API route a form mirrors (its @Roles), read from the route itself so there is one list. */
export function formRoles(form: CaseForm): Role[] {
  const [controller, method] = form.route;
  const handler = (controller.prototype as Record<string, unknown>)[method];
  return (Reflect.getMetadata(ROLES_KEY, handler as object) as Role[] | undefined) ?? [];
}
