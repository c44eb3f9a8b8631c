import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** `Idempotency-Key` of a creating POST → what it created, per caller; the same key with another body is refused. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn('text') principal!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text', { name: 'request_hash' }) requestHash!: string;
  @Column('uuid', { name: 'resource_id' }) resourceId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
