import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A case's deadline as people read it (the workflow owns the live clock). Key: `<clock name>:<subject uuid>`. */
@Entity('case_clocks')
export class CaseClock {
  @PrimaryColumn('text') key!: string;
  @Index() @Column('uuid', { name: 'case_id' }) caseId!: string;
  @Column('text') name!: string;
  @Column('uuid', { name: 'subject_id' }) subjectId!: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  @Column('text') explanation!: string;
  @Column('integer', { name: 'steps_fired' }) stepsFired!: number;
  @Column('timestamptz', { name: 'paused_since', nullable: true }) pausedSince!: Date | null;
  @Column('text', { name: 'held_by', nullable: true }) heldBy!: string | null;
  @Column('timestamptz', { name: 'acknowledged_at', nullable: true }) acknowledgedAt!: Date | null;
  @Column('text') status!: 'running' | 'stopped';
  @Column('integer', { name: 'updated_seq' }) updatedSeq!: number;
}
