import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PanelCriterion } from '../../workflows/contracts/policy';

/** One stratum of a panel's sample as drawn: how many cases it held in the period and how many were drawn. */
export interface PanelStratumDrawn { code: string; label: string; population: number; drawn: number; empty: boolean }

/** A force's (or one unit's) panel cadence: a recurrence from a first sitting, in a time zone, with its members. */
@Entity('panel_schedules')
export class PanelSchedule {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('text', { name: 'force_id' }) forceId!: string;
  @Column('text', { nullable: true }) unit!: string | null;
  @Column('text', { name: 'first_sitting_at' }) firstSittingAt!: string;
  @Column('text') timezone!: string;
  @Column('text') rrule!: string;
  /** How long before each sitting its sample is drawn (ISO duration). */
  @Column('text', { name: 'lead_time' }) leadTime!: string;
  @Column('uuid', { array: true }) members!: string[];
  @Column('text') status!: 'active' | 'paused';
  @Column('integer') revision!: number;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** One panel: its scope and period, the seed and rules its sample was drawn by, and the strata drawn. */
@Entity('panels')
export class Panel {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('text', { name: 'force_id' }) forceId!: string;
  @Column('text', { nullable: true }) unit!: string | null;
  @Column('uuid', { name: 'schedule_id', nullable: true }) scheduleId!: string | null;
  @Column('timestamptz', { nullable: true }) occurrence!: Date | null;
  @Column('timestamptz', { name: 'period_from' }) periodFrom!: Date;
  @Column('timestamptz', { name: 'period_to' }) periodTo!: Date;
  @Column('timestamptz', { name: 'sitting_at' }) sittingAt!: Date;
  /** The seed the sample was drawn from: the same seed over the same data draws the same cases. */
  @Column('text') seed!: string;
  /** A size asked for in place of the policy's (ad-hoc panels only). */
  @Column('integer', { name: 'requested_size', nullable: true }) requestedSize!: number | null;
  @Column('text', { name: 'policy_version' }) policyVersion!: string;
  /** The panel rules' version the sample was drawn under. */
  @Column('text', { name: 'rules_version', nullable: true }) rulesVersion!: string | null;
  @Column('jsonb', { nullable: true }) strata!: PanelStratumDrawn[] | null;
  @Column('text') status!: 'convened' | 'sampled' | 'closed';
  @Column('text', { name: 'workflow_id' }) workflowId!: string;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('panel_members')
export class PanelMember {
  @PrimaryColumn('uuid', { name: 'panel_id' }) panelId!: string;
  @Index() @PrimaryColumn('uuid', { name: 'person_id' }) personId!: string;
}

/** A sampled case under its pseudonymous label; the case id never leaves the server. */
@Entity('panel_cases')
export class PanelCase {
  @PrimaryColumn('uuid', { name: 'panel_id' }) panelId!: string;
  @PrimaryColumn('text') label!: string;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @Column('text') stratum!: string;
  @Column('integer') position!: number;
}

/** One member's review of one sampled case. */
@Entity('panel_reviews')
export class PanelReview {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'panel_id' }) panelId!: string;
  @Column('text') label!: string;
  @Column('uuid', { name: 'member_id' }) memberId!: string;
  @Column('jsonb') scores!: Record<PanelCriterion, number>;
  @Column('text', { array: true }) themes!: string[];
  @Column('text') comments!: string;
  @Column('text', { name: 'referral_reason', nullable: true }) referralReason!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A referral a review recommended (the panel cannot reopen a case): the unit's DCI records what was done. */
@Entity('panel_referrals')
export class PanelReferral {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'panel_id' }) panelId!: string;
  @Column('text') label!: string;
  @Column('uuid', { name: 'review_id' }) reviewId!: string;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @Column('uuid', { name: 'dci_id', nullable: true }) dciId!: string | null;
  @Column('text', { nullable: true }) outcome!: string | null;
  @Column('text', { name: 'outcome_note', nullable: true }) outcomeNote!: string | null;
  @Column('uuid', { name: 'outcome_by', nullable: true }) outcomeBy!: string | null;
  @Column('timestamptz', { name: 'outcome_at', nullable: true }) outcomeAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** What a panel's findings turn into: an owner, a due date on the one clock mechanism, and a closing note. */
@Entity('learning_actions')
export class LearningAction {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid', { name: 'panel_id' }) panelId!: string;
  @Column('text') description!: string;
  @Column('uuid', { name: 'owner_id' }) ownerId!: string;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  @Column('text') status!: 'open' | 'closed';
  @Column('text', { name: 'closing_note', nullable: true }) closingNote!: string | null;
  @Column('uuid', { name: 'closed_by', nullable: true }) closedBy!: string | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
