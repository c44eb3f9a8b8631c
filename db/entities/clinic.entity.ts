import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ClinicOutcome } from '../../workflows/contracts/commands';
import type { AgendaReasonCode } from '../../workflows/contracts/policy';

export type ClinicStatus = 'scheduled' | 'agenda-built' | 'held' | 'cancelled';

/** A unit's clinic cadence: a recurrence from a first sitting, in a time zone. Changing it never touches past sittings. */
@Entity('clinic_schedules')
export class ClinicSchedule {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('text', { name: 'force_id' }) forceId!: string;
  @Index() @Column('text') unit!: string;
  /** Local wall-clock time of the first sitting, `YYYY-MM-DDTHH:mm`, in `timezone`. */
  @Column('text', { name: 'first_sitting_at' }) firstSittingAt!: string;
  @Column('text') timezone!: string;
  @Column('text') rrule!: string;
  @Column('integer', { name: 'duration_minutes' }) durationMinutes!: number;
  /** How long before each sitting its agenda is built and the invites go (ISO duration). */
  @Column('text', { name: 'agenda_lead_time' }) agendaLeadTime!: string;
  @Column('uuid', { name: 'liaison_id', nullable: true }) liaisonId!: string | null;
  @Column('text', { nullable: true }) location!: string | null;
  @Column('text') status!: 'active' | 'paused';
  /** Bumped by every change, so the schedule's workflow knows which version of it a sitting came from. */
  @Column('integer') revision!: number;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** One sitting of a clinic: scheduled (from a schedule's occurrence) or ad hoc. */
@Entity('clinics')
export class Clinic {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('text', { name: 'force_id' }) forceId!: string;
  @Column('text') unit!: string;
  @Column('uuid', { name: 'schedule_id', nullable: true }) scheduleId!: string | null;
  /** The schedule's occurrence this sitting is (before any move off a non-working day); null for an ad-hoc sitting. */
  @Column('timestamptz', { nullable: true }) occurrence!: Date | null;
  @Column('timestamptz', { name: 'sitting_at' }) sittingAt!: Date;
  @Column('integer', { name: 'duration_minutes' }) durationMinutes!: number;
  @Column('uuid', { name: 'liaison_id', nullable: true }) liaisonId!: string | null;
  @Column('text', { nullable: true }) location!: string | null;
  @Column('text') status!: ClinicStatus;
  /** The invite's SEQUENCE: raised whenever the sitting moves or is cancelled. */
  @Column('integer') sequence!: number;
  @Column('text', { name: 'policy_version' }) policyVersion!: string;
  /** The agenda rules' version the agenda was built under. */
  @Column('text', { name: 'agenda_version', nullable: true }) agendaVersion!: string | null;
  @Column('timestamptz', { name: 'agenda_built_at', nullable: true }) agendaBuiltAt!: Date | null;
  @Column('text', { name: 'workflow_id' }) workflowId!: string;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

export interface AgendaReason { code: AgendaReasonCode; detail: string }

/** A case on a sitting's agenda: why it is there, and what the clinic decided. */
@Entity('clinic_agenda_items')
export class ClinicAgendaItem {
  @PrimaryColumn('uuid', { name: 'clinic_id' }) clinicId!: string;
  @Index() @PrimaryColumn('uuid', { name: 'case_id' }) caseId!: string;
  @Column('text', { name: 'force_id' }) forceId!: string;
  @Column('uuid', { name: 'officer_id' }) officerId!: string;
  @Column('integer') position!: number;
  @Column('jsonb') reasons!: AgendaReason[];
  @Column('text', { nullable: true }) outcome!: ClinicOutcome | null;
  @Column('uuid', { name: 'outcome_document_id', nullable: true }) outcomeDocumentId!: string | null;
  @Column('text', { name: 'outcome_by', nullable: true }) outcomeBy!: string | null;
  @Column('timestamptz', { name: 'outcome_at', nullable: true }) outcomeAt!: Date | null;
}

/**
 * A case put to the next clinic: by a supervisor (`referred`, with a reason) or by an action's escalation ladder reaching
 * its clinic step (`escalated`). Taken up by the first agenda of the case's unit built after it.
 */
@Entity('clinic_referrals')
export class ClinicReferral {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid', { name: 'case_id' }) caseId!: string;
  @Column('text', { name: 'force_id' }) forceId!: string;
  @Column('text') kind!: 'referred' | 'escalated';
  /** One referral per ladder step firing (workflow + clock + arming + step), or per request. */
  @Column('text', { name: 'dedupe_key', unique: true }) dedupeKey!: string;
  @Column('text', { name: 'referred_by' }) referredBy!: string;
  /** The reason, in case_documents (free text may name people); none for a ladder step. */
  @Column('uuid', { name: 'document_id', nullable: true }) documentId!: string | null;
  @Column('text', { name: 'clock_key', nullable: true }) clockKey!: string | null;
  @Column('uuid', { name: 'clinic_id', nullable: true }) clinicId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
