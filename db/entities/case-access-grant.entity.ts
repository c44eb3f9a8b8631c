import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A person named on a restricted case: with the officer in case, the only people who may open it. */
@Entity('case_access_grants')
export class CaseAccessGrant {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId!: string;
  @PrimaryColumn('uuid', { name: 'person_id' }) personId!: string;
  /** Token subject of whoever restricted the case (an administrator need not be in the directory). */
  @Column('text', { name: 'granted_by' }) grantedBy!: string;
  @Column('timestamptz', { name: 'granted_at', default: () => 'now()' }) grantedAt!: Date;
}
