import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The email outbox, keyed by workflow id + purpose + recipient: a retried activity queues no second mail. Activities queue
 * (activities/mail/outbox.ts); the worker's mail dispatcher sends (worker/mail-dispatcher.ts).
 */
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
  /** The rendered message (StoredMessage); null on rows sent before the outbox kept messages. */
  @Column('jsonb', { nullable: true }) message!: unknown;
  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' }) nextAttemptAt!: Date;
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
