import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The kinds of flag a case can carry, each computed by its rule in activities/flags. */
export type CaseFlagKind = 'repeat-suspect';

/**
 * A computed flag on a case, one row per suspect and causing case: the repeat-suspect flag of a case's suspect is the
 * set of rows for it, each naming one earlier case and when its NFA decision was made. Written only by the rule, in the
 * transaction that registers, imports or decides a case; ids and times only.
 */
@Entity('case_flags')
export class CaseFlag {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId!: string;
  @PrimaryColumn('text') kind!: CaseFlagKind;
  @PrimaryColumn('uuid', { name: 'suspect_party_id' }) suspectPartyId!: string;
  @Index() @PrimaryColumn('uuid', { name: 'caused_by_case_id' }) causedByCaseId!: string;
  @Column('timestamptz', { name: 'decided_at' }) decidedAt!: Date;
  @Column('timestamptz', { name: 'computed_at' }) computedAt!: Date;
}
