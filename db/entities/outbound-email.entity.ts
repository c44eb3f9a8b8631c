import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Ledger of email the worker sends, keyed by workflow id + purpose + recipient: a retried activity sends no second mail. */
@Entity('outbound_emails')
export class OutboundEmail {
  @PrimaryColumn('text') key!: string;
  @Index() @Column('uuid', { name: 'case_id', nullable: true }) caseId!: string | null;
  @Column('uuid', { name: 'recipient_id' }) recipientId!: string;
  @Column('text') template!: string;
  @Column('text') status!: 'pending' | 'sent';
  @Column('text', { name: 'message_id' }) messageId!: string;
  /** Attempts started, and those the relay refused or that failed (activities/mail/outbox.ts). */
  @Column('integer', { default: 0 }) attempts!: number;
  @Column('integer', { default: 0 }) failures!: number;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
