import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The timeline: one row per transition or fact, keyed by workflow id + sequence so a retry writes nothing twice. */
@Entity('case_events')
@Index(['caseId', 'seq'], { unique: true })
export class CaseEvent {
  @PrimaryColumn('text') id!: string;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @Column('integer') seq!: number;
  @Column('text') type!: string;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column('text', { name: 'actor_role', nullable: true }) actorRole!: string | null;
  @Column('text', { name: 'from_stage', nullable: true }) fromStage!: string | null;
  @Column('text', { name: 'to_stage', nullable: true }) toStage!: string | null;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('uuid', { name: 'document_id', nullable: true }) documentId!: string | null;
  @Column('jsonb', { default: {} }) data!: Record<string, unknown>;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
}
