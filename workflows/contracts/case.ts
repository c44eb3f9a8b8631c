import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CaseCommandType, CommandActor } from './commands';
import type { Role } from './people';

/** The pre-charge stages of docs/domain.md §3 (S0–S17). */
export const CASE_STAGES = [
  'reported', 'investigating', 'victim-disengaging', 'ea-requested', 'ea-triage', 'ea-in-progress',
  'action-plan-open', 'clinic-review', 'file-build', 'charging-submitted', 'cps-review', 'escalated',
  'nfa-proposed', 'charged', 'nfa-confirmed', 'vrr-review', 'admin-finalised', 'scrutiny-sampled', 'closed',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const OFFENCE_TYPES = ['rape', 'assault-by-penetration', 'sexual-assault', 'causing-sexual-activity', 'other-serious-sexual-offence'] as const;
export type OffenceType = (typeof OFFENCE_TYPES)[number];

export interface Actor {
  id: string;
  role: Role;
}

/**
 * What the case workflow is started with. Opaque ids and enums only: the victim's and suspects' identities
 * stay in PostgreSQL (case_parties) and are referred to here by party id.
 */
export interface CaseRegistration {
  caseId: string;
  urn: string;
  unit: string;
  officerId: string;
  offence: { type: OffenceType; penetrative: boolean; committedFrom: string; committedTo?: string };
  reportedAt: string;
  victim: { partyId: string; vulnerable: boolean };
  suspectPartyIds: string[];
  registeredBy: Actor;
  /** The allocation rule that placed the case in its unit, and why (shown on the case and its timeline). */
  allocation?: { ruleId: string; description: string };
}

export interface ClockView {
  key: string;
  name: string;
  /** What the clock is about: the case, or one item (an action, a request, a submission). */
  subjectId: string;
  startedAt: string;
  dueAt: string;
  /** How the due time was computed (working days skipped, pauses, approved changes). */
  explanation: string;
  overdue: boolean;
  stepsFired: number;
  nextStepAt?: string;
  paused?: { since: string; heldBy: 'police' | 'cps' | 'third-party' };
  pausedMs: number;
  acknowledged?: { by: string; at: string };
  firings: { step: number; kind: 'reminder' | 'escalation'; at: string; to: string[] }[];
}

/** Who must act next: an organisation, a role in it, and the person when one is named. */
export interface Holder {
  organisation: 'police' | 'cps';
  role: 'officer' | 'supervisor' | 'gatekeeper' | 'triage' | 'prosecutor' | 'dcp';
  personId?: string;
}

export interface EarlyAdviceView {
  id: string;
  status: 'awaiting-endorsement' | 'awaiting-triage' | 'accepted' | 'rejected' | 'advised';
  requestedBy: string;
  prosecutorId?: string;
  rejection?: { reasons: string[]; respondBy: string };
  appealed: boolean;
}

export interface ActionView {
  id: string;
  planId: string;
  owner: 'police' | 'cps';
  dueAt: string;
  decisionCritical: boolean;
  status: 'open' | 'done';
  completedAt?: string;
}

export interface ActionPlanView {
  id: string;
  source: 'early-advice' | 'charging-decision';
  status: 'open' | 'awaiting-review' | 'reviewed';
  createdAt: string;
  documentId?: string;
}

export interface SubmissionView {
  id: string;
  test: 'full-code' | 'threshold';
  category: 'red' | 'green' | 'green-priority';
  status: 'awaiting-gatekeeper' | 'awaiting-triage' | 'in-review' | 'returned' | 'decided';
  submittedBy: string;
  approvedBy?: string;
  prosecutorId?: string;
  decision?: 'charge' | 'nfa' | 'action-plan';
  /** A charge on the Threshold Test: the date by which the Full Code Test must be applied, and when it was (T12). */
  fullCodeReview?: { dueBy: string; reviewedAt?: string };
}

/** A suspect's pre-charge release: bail (statutory limits, extensions by rank) or released under investigation. */
export interface CustodyView {
  suspectId: string;
  status: 'bail' | 'rui';
  startedAt: string;
  /** 0: initial 3 months; 1: to 6 months (Inspector); 2: to 9 months (Superintendent); 3+: by a court. */
  extensions: number;
  expiresAt?: string;
  /** Designated exceptionally complex (s.47ZE: Commander/ACC after consulting the DPP): court extensions to 18 or 24 months. */
  exceptionallyComplex?: { authorisedBy: string; dppConsultedAt: string; at: string };
  /** The application to the magistrates' court to extend bail beyond 9 months (s.47ZF), and whether it was made late. */
  courtApplication?: { extendTo: CourtBailLimit; at: string; late: boolean; decision?: 'granted' | 'refused' };
}

/** How far a magistrates' court may extend pre-charge bail, from the bail start (s.47ZF): 18 and 24 for designated cases. */
export const COURT_BAIL_LIMITS = ['P12M', 'P18M', 'P24M'] as const;
export type CourtBailLimit = (typeof COURT_BAIL_LIMITS)[number];

/** A suspect detained at a police station (PACE ss.40-44), from the relevant time until released. */
export interface DetentionView {
  suspectId: string;
  /** Arrival at the station (PACE s.41(2)): every detention limit counts from here. */
  relevantTime: string;
  custodyOfficerId: string;
  /** When detention must end unless extended: 24 hours, 36 with a superintendent's authority, a warrant's expiry. */
  limitAt: string;
  extension?: { authorisedBy: string; at: string };
  warrants: { expiresAt: string; at: string }[];
  reviews: { reviewerId: string; at: string }[];
  released?: { at: string; outcome: 'nfa' | 'bail' | 'rui' | 'charge' };
}

/** A victim's Right to Review request (police or CPS scheme). */
export interface ReviewView {
  id: string;
  scheme: 'police' | 'cps';
  status: 'requested' | 'acknowledged' | 'decided';
  requestedAt: string;
  late: boolean;
  outcome?: 'upheld' | 'overturned';
}

export interface CaseView {
  caseId: string;
  stage: CaseStage;
  policyVersion: string;
  enhancedRights: boolean;
  registered: boolean;
  waitingFor: string;
  holder?: Holder;
  referredToCps: boolean;
  earlyAdviceNotSought: boolean;
  outcomeCode?: number;
  earlyAdvice: EarlyAdviceView[];
  actionPlans: ActionPlanView[];
  actions: ActionView[];
  submissions: SubmissionView[];
  custody: CustodyView[];
  detention: DetentionView[];
  reviews: ReviewView[];
  clocks: ClockView[];
}

/** Resolves once the registration is in PostgreSQL; the API answers `POST /cases` from it. */
export const registrationRecordedUpdate = defineUpdate<CaseView>('registrationRecorded');
export const caseViewQuery = defineQuery<CaseView>('caseView');

/**
 * A command the asking person may send now, found by dry-running the pipeline's rules: its type, the item it is
 * about (an Early Advice request, an action, a submission, a clock key, a suspect, a review) and, where the rules
 * accept only some choices, which (`requestVictimReview`: `police` and/or `cps`).
 */
export interface AvailableCommand {
  type: CaseCommandType;
  targetId?: string;
  variants?: string[];
}

/** The case as this person sees it now: its live view and what they may do on it (the forms a case page offers). */
export const caseActionsQuery = defineQuery<{ view: CaseView; actions: AvailableCommand[] }, [CommandActor]>('caseActions');
