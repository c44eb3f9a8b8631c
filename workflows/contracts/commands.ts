import { defineUpdate } from '@temporalio/workflow';
import type { CaseView } from './case';
import type { CourtBailLimit } from './case';
import type { Organisation, Rank, Role } from './people';

/**
 * Commands people send to a case. Enums, ids, dates and flags only: free text (summaries, advice, notes,
 * rationales) is stored by the API in `case_documents` and travels here as `documentId`.
 */
export interface CommandActor {
  id: string;
  role: Role;
  organisation: Organisation;
  rank: Rank;
}

export const EA_REJECTION_REASONS = [
  'case-material-not-received', 'no-disclosure-schedule', 'no-mg3', 'no-supervisor-comments', 'no-dv-checklist',
  'missing-mg11s', 'missing-exhibits', 'no-interview-summary', 'missing-previous-convictions', 'hard-media-not-provided',
  'third-party-material-not-provided', 'oic-contact-details-wrong', 'not-the-right-time', 'advice-not-needed',
] as const;
export type EaRejectionReason = (typeof EA_REJECTION_REASONS)[number];

export const FILE_RETURN_REASONS = [
  'nfs-incomplete', 'key-evidence-missing', 'disclosure-incomplete', 'wrong-test', 'wrong-category', 'supervisor-review-missing', 'other',
] as const;
export type FileReturnReason = (typeof FILE_RETURN_REASONS)[number];

/** The National File Standard items a full code test submission must carry (domain.md §2.3). */
export const NFS_CHECKLIST = [
  'mg3', 'caseSummary', 'victimAccount', 'keyWitnessStatements', 'suspectInterview', 'exhibits', 'disclosureSchedules', 'previousConvictions',
] as const;
export type NfsItem = (typeof NFS_CHECKLIST)[number];

/** Victims' Code duties a contact can discharge (domain.md §2.8). */
export const VICTIM_CONTACT_KINDS = ['support-referral', 'key-event-update', 'routine-update', 'nfa-notification'] as const;
export type VictimContactKind = (typeof VICTIM_CONTACT_KINDS)[number];

export interface PlannedAction {
  actionId: string;
  owner: 'police' | 'cps';
  dueAt: string;
  decisionCritical: boolean;
}

export interface NewActionPlan {
  planId: string;
  actions: PlannedAction[];
}

/** What a case progression clinic decides for a case on its agenda (domain.md §3, S6). */
export const CLINIC_OUTCOMES = ['continue', 'amend-plan', 'ready-to-submit', 'consider-nfa', 'escalate'] as const;
export type ClinicOutcome = (typeof CLINIC_OUTCOMES)[number];

export type CaseCommand =
  | { type: 'requestEarlyAdvice'; requestId: string }
  | { type: 'endorseEarlyAdvice'; requestId: string }
  | { type: 'triageEarlyAdvice'; requestId: string; decision: 'accept'; prosecutorId: string }
  | { type: 'triageEarlyAdvice'; requestId: string; decision: 'reject'; reasons: EaRejectionReason[]; respondBy?: string }
  | { type: 'appealEarlyAdviceRejection'; requestId: string }
  | { type: 'recordEarlyAdvice'; requestId: string; actionPlan?: NewActionPlan }
  | { type: 'recordEarlyAdviceNotSought' }
  | { type: 'completeAction'; actionId: string }
  | { type: 'reviewActionPlan'; planId: string; outcome: 'ready-to-submit' | 'continue' }
  | { type: 'submitFile'; submissionId: string; test: 'full-code' | 'threshold'; category: 'red' | 'green' | 'green-priority'; checklist: Partial<Record<NfsItem, boolean>> }
  | { type: 'approveSubmission'; submissionId: string }
  | { type: 'returnSubmission'; submissionId: string; reasons: FileReturnReason[] }
  | { type: 'triageSubmission'; submissionId: string; decision: 'accept'; prosecutorId: string }
  | { type: 'triageSubmission'; submissionId: string; decision: 'return'; reasons: FileReturnReason[] }
  | {
      type: 'recordChargingDecision'; submissionId: string; decision: 'charge' | 'nfa' | 'action-plan';
      nfaGround?: 'evidential' | 'public-interest'; actionPlan?: NewActionPlan; preNfaMeetingAt?: string; dcpReviewerId?: string;
      /** A charge on the Threshold Test: when the Full Code Test review is due (else the policy's default). */
      fullCodeReviewBy?: string;
    }
  | { type: 'recordFullCodeTestReview'; submissionId: string }
  | { type: 'pauseClock'; clockKey: string; heldBy: 'police' | 'cps' | 'third-party' }
  | { type: 'resumeClock'; clockKey: string }
  | { type: 'changeDueDate'; clockKey: string; dueAt: string; approverId: string }
  | { type: 'acknowledgeEscalation'; clockKey: string }
  | { type: 'recordBail'; suspectId: string; startedAt: string }
  | { type: 'extendBail'; suspectId: string; authorisedById: string; courtOrderedUntil?: string }
  | { type: 'recordReleaseUnderInvestigation'; suspectId: string }
  | { type: 'designateExceptionallyComplex'; suspectId: string; authorisedById: string; dppConsultedAt: string }
  | { type: 'applyForCourtBailExtension'; suspectId: string; extendTo: CourtBailLimit }
  | { type: 'recordCourtBailDecision'; suspectId: string; decision: 'granted' | 'refused'; until?: string }
  | { type: 'recordArrivalInCustody'; suspectId: string; relevantTime: string; custodyOfficerId: string }
  | { type: 'recordDetentionReview'; suspectId: string; reviewerId: string }
  | { type: 'extendDetention'; suspectId: string; authorisedById: string }
  | { type: 'recordWarrantOfFurtherDetention'; suspectId: string; expiresAt: string }
  | { type: 'releaseWithNoFurtherAction'; suspectId: string }
  | { type: 'requestVictimReview'; reviewId: string; scheme: 'police' | 'cps' }
  | { type: 'acknowledgeVictimReview'; reviewId: string }
  | { type: 'decideVictimReview'; reviewId: string; outcome: 'upheld' | 'overturned' }
  | { type: 'recordVictimContact'; kind: VictimContactKind }
  | { type: 'recordVictimWithdrawal' }
  | { type: 'reviewVictimWithdrawal'; decision: 're-engaged' | 'evidence-led' | 'nfa' }
  | { type: 'recordPoliceNfa'; outcomeCode: 10 | 12 | 13 | 14 | 15 | 16 }
  | { type: 'adminFinalise' }
  | { type: 'closeCase' }
  | { type: 'reopenCase'; ground: 'new-evidence' | 'review-upheld' }
  | { type: 'recordClinicOutcome'; clinicId: string; outcome: ClinicOutcome; actionDueDates?: { actionId: string; dueAt: string }[] };

export type CaseCommandType = CaseCommand['type'];

export interface CaseCommandInput {
  command: CaseCommand;
  actor: CommandActor;
  /** The free text that goes with the command, stored in PostgreSQL. */
  documentId?: string;
  /** For reviewers named in a command (e.g. the DCP who reviewed a second action plan): their rank, resolved by the API. */
  namedRanks?: Record<string, Rank>;
  /**
   * When the API sent the command (ISO 8601). The case takes it as the command's time, so that a command the workflow
   * takes again (a reset re-applies the Updates after its point) arms the same clocks, keyed the same, and is judged
   * against the same time as the first time. Absent from callers before it: they get the workflow's time.
   */
  sentAt?: string;
}

/** Every case command is one Update: refused by its validator (409/422) before it touches history. */
export const caseCommandUpdate = defineUpdate<CaseView, [CaseCommandInput]>('caseCommand');
