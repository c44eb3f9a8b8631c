import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The open and past items of a case (Early Advice requests, action plans, actions, submissions), by their own id. */
@Entity('case_items')
@Index(['caseId', 'kind'])
export class CaseItem {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @Column('text') kind!: 'early-advice' | 'action-plan' | 'action' | 'submission' | 'review';
  @Column('uuid', { name: 'parent_id', nullable: true }) parentId!: string | null;
  @Column('text') status!: string;
  @Column('text', { nullable: true }) owner!: string | null;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  @Column('boolean', { name: 'decision_critical', nullable: true }) decisionCritical!: boolean | null;
  @Column('jsonb', { default: {} }) data!: Record<string, unknown>;
  @Column('integer', { name: 'updated_seq' }) updatedSeq!: number;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
