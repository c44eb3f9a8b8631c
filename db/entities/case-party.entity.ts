import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Victims' and suspects' personal details. They live here only: workflows, ids, search attributes and logs
 * carry the party id, never these fields.
 */
@Entity('case_parties')
export class CaseParty {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid', { name: 'case_id' }) caseId!: string;
  @Column('text') kind!: 'victim' | 'suspect';
  @Column('text') name!: string;
  @Column('date', { name: 'date_of_birth' }) dateOfBirth!: string;
  @Column('text', { name: 'national_id', nullable: true }) nationalId!: string | null;
  @Column('boolean', { nullable: true }) vulnerable!: boolean | null;
  @Column('text', { name: 'contact_preference', nullable: true }) contactPreference!: string | null;
  /** Contact details, where recorded: a scrutiny pack redacts them as the party's own details. */
  @Column('text', { nullable: true }) address!: string | null;
  @Column('text', { nullable: true }) phone!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
