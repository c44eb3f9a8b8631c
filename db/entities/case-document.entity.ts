import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Free text that goes with a command (an Early Advice request, advice, an action plan, a rationale). It may name
 * people, so it lives here and workflows refer to it by id.
 */
@Entity('case_documents')
export class CaseDocument {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid', { name: 'case_id' }) caseId!: string;
  /** The case's force: a document is that force's record. */
  @Index() @Column('text', { name: 'force_id' }) forceId!: string;
  @Column('text') kind!: string;
  @Column('jsonb') body!: Record<string, unknown>;
  @Column('uuid', { name: 'author_id' }) authorId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
