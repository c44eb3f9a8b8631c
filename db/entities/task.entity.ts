import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An item in a person's inbox: a reminder before a due time, or an escalation after it. */
@Entity('tasks')
@Index(['personId', 'status'])
export class Task {
  @PrimaryColumn('uuid') id!: string;
  /** Workflow id + clock + arming + step + person: one task per breach per person, whatever the retries. */
  @Column('text', { name: 'dedupe_key', unique: true }) dedupeKey!: string;
  @Column('uuid', { name: 'person_id' }) personId!: string;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  /** The case's force: whose staff the task may be shown to. */
  @Index() @Column('text', { name: 'force_id' }) forceId!: string;
  /** `clinic`: a case of theirs on a clinic's agenda (clock_key `clinic:<id>`, due at the sitting). */
  /** `panel-referral`: a scrutiny panel recommended a referral of a case (clock_key `panel-referral:<id>`). */
  @Column('text') kind!: 'reminder' | 'escalation' | 'clinic' | 'panel-referral';
  @Column('text', { name: 'clock_key' }) clockKey!: string;
  @Column('text', { name: 'clock_name' }) clockName!: string;
  @Column('integer') step!: number;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  @Column('text') why!: string;
  @Column('text') status!: 'open' | 'acknowledged' | 'done';
  @Column('text') delivery!: 'immediate' | 'daily-digest';
  @Column('timestamptz', { name: 'digest_sent_at', nullable: true }) digestSentAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
}
