import { defineQuery, defineUpdate } from '@temporalio/workflow';
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
}

export interface ClockView {
  name: string;
  dueAt: string;
  stepsFired: number;
  nextStepAt?: string;
}

export interface CaseView {
  caseId: string;
  stage: CaseStage;
  policyVersion: string;
  enhancedRights: boolean;
  registered: boolean;
  clocks: ClockView[];
}

/** Resolves once the registration is in PostgreSQL; the API answers `POST /cases` from it. */
export const registrationRecordedUpdate = defineUpdate<CaseView>('registrationRecorded');
export const caseViewQuery = defineQuery<CaseView>('caseView');
