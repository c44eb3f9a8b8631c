import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CaseRegistration, CaseStage } from '../../workflows/contracts/case';
import type { CaseState } from '../../workflows/pipeline/state';

/** The case projection people read; written only by the worker's activities. No victim or suspect identity here. */
@Entity('cases')
export class CaseRecord {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('text') urn!: string;
  @Index() @Column('text') stage!: CaseStage;
  @Index() @Column('text') unit!: string;
  /** The force whose case it is: its unit's force, whose code the URN carries. */
  @Index() @Column('text', { name: 'force_id' }) forceId!: string;
  /** The allocation rule that placed the case in its unit, and its wording at the time. */
  @Column('text', { name: 'allocation_rule', nullable: true }) allocationRule!: string | null;
  @Column('text', { name: 'allocation_reason', nullable: true }) allocationReason!: string | null;
  @Index() @Column('uuid', { name: 'officer_id' }) officerId!: string;
  @Column('text', { name: 'offence_type' }) offenceType!: string;
  @Column('boolean') penetrative!: boolean;
  @Column('date', { name: 'committed_from' }) committedFrom!: string;
  @Column('date', { name: 'committed_to', nullable: true }) committedTo!: string | null;
  @Column('timestamptz', { name: 'reported_at' }) reportedAt!: Date;
  @Column('boolean', { name: 'enhanced_rights' }) enhancedRights!: boolean;
  @Column('integer', { name: 'suspect_count' }) suspectCount!: number;
  @Column('text', { name: 'policy_version' }) policyVersion!: string;
  @Column('text', { name: 'workflow_id' }) workflowId!: string;
  /** What the case waits for and who holds it (derived by the workflow). */
  @Column('text', { name: 'waiting_for', default: '' }) waitingFor!: string;
  @Column('text', { name: 'holder_organisation', nullable: true }) holderOrganisation!: string | null;
  @Column('text', { name: 'holder_role', nullable: true }) holderRole!: string | null;
  @Column('uuid', { name: 'holder_person_id', nullable: true }) holderPersonId!: string | null;
  @Column('boolean', { name: 'referred_to_cps', default: false }) referredToCps!: boolean;
  @Column('integer', { name: 'outcome_code', nullable: true }) outcomeCode!: number | null;
  /** The earliest due time of the case's running clocks: lists filter overdue cases on it. */
  @Column('timestamptz', { name: 'next_due_at', nullable: true }) nextDueAt!: Date | null;
  @Column('uuid', { name: 'prosecutor_id', nullable: true }) prosecutorId!: string | null;
  /** Visible only to the officer in case and the people granted access (case_access_grants); set by the API, never by the worker. */
  @Column('boolean', { default: false }) restricted!: boolean;
  /** Highest timeline sequence applied: makes every projection write idempotent. */
  @Column('integer', { name: 'last_event_seq' }) lastEventSeq!: number;
  /**
   * The registration the workflow started with, and its plain state after the latest transition or clock step (ids and
   * enums only): the case page works out its view and what may be done from them. Not read unless asked for.
   */
  @Column('jsonb', { nullable: true, select: false }) registration!: CaseRegistration | null;
  @Column('jsonb', { name: 'live_state', nullable: true, select: false }) liveState!: CaseState | null;
  /** Which write `live_state` is: the timeline sequence, then the clock steps fired since (newer writes only). */
  @Column('integer', { name: 'live_seq', default: 0, select: false }) liveSeq!: number;
  @Column('integer', { name: 'live_steps', default: 0, select: false }) liveSteps!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
