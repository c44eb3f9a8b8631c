import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Organisation, Rank, Role } from '../../workflows/contracts/people';

/** The people directory: who is who, and the supervision chain (`reportsTo`) escalations climb. */
@Entity('people')
export class Person {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Index({ unique: true }) @Column('text') email!: string;
  @Column('text', { array: true }) roles!: Role[];
  @Column('text') organisation!: Organisation;
  @Column('text') rank!: Rank;
  @Index() @Column('text') unit!: string;
  /** Police staff belong to a force, CPS staff to an area, both from their unit; a person with neither is regional. */
  @Index() @Column('text', { name: 'force_id', nullable: true }) forceId!: string | null;
  @Index() @Column('text', { name: 'area_id', nullable: true }) areaId!: string | null;
  @Column('uuid', { name: 'reports_to', nullable: true }) reportsTo!: string | null;
  @Column('boolean', { default: true }) active!: boolean;
  /** Supervisors may take escalations as one daily digest instead of an email per breach. */
  @Column('text', { name: 'escalation_delivery', default: 'immediate' }) escalationDelivery!: 'immediate' | 'daily-digest';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
