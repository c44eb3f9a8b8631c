import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AgendaReasonCode, PolicySnapshot } from './policy';

/** Ids of the clinic workflows: opaque UUIDs only, like every workflow id. */
export const clinicWorkflowId = (clinicId: string): string => `clinic-${clinicId}`;
export const clinicScheduleWorkflowId = (scheduleId: string): string => `clinic-schedule-${scheduleId}`;

/** What a clinic workflow keeps of its agenda: ids and reason codes only (details stay in PostgreSQL). */
export interface AgendaSummary {
  agendaVersion: string;
  entries: { caseId: string; officerId: string; codes: AgendaReasonCode[] }[];
}

/** Answers once the sitting's agenda is built: how an ad-hoc sitting is convened with its agenda "at once". */
export const clinicAgendaUpdate = defineUpdate<AgendaSummary>('clinicAgenda');

/** What the schedule's workflow needs of its schedule: times and rules only (no place, no people). */
export interface ClinicScheduleSpec {
  scheduleId: string;
  firstSittingAt: string;
  timezone: string;
  rrule: string;
  agendaLeadTime: string;
  status: 'active' | 'paused';
  /** The schedule's revision: a change with a lower one (a late, reordered signal) is ignored. */
  revision: number;
}

/** A schedule changed (cadence, pause, resume): the workflow recomputes its next sitting from the new spec. */
export const clinicScheduleChangedSignal = defineSignal<[{ spec: ClinicScheduleSpec; policy: PolicySnapshot }]>('clinicScheduleChanged');

/** An outcome was recorded for a case on the sitting's agenda: the outcome clock stops once every case has one. */
export const clinicOutcomeRecordedSignal = defineSignal<[{ caseId: string }]>('clinicOutcomeRecorded');

/** A sitting moved (its invite's SEQUENCE raised) or was cancelled: the workflow re-invites or cancels, and re-times its clock. */
export const clinicSittingChangedSignal = defineSignal<[{ sittingAt: string; cancelled: boolean; sequence: number }]>('clinicSittingChanged');
