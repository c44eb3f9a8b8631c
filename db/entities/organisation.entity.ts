import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** What a unit is: a police team of a force, or a CPS team of an area. */
export const UNIT_ORGANISATIONS = ['police', 'cps'] as const;
export type UnitOrganisation = (typeof UNIT_ORGANISATIONS)[number];

/** A police force of the region. Its Home Office code is the first two digits of every URN it issues. */
@Entity('forces')
export class Force {
  @PrimaryColumn('text') id!: string;
  @Index({ unique: true }) @Column('char', { length: 2 }) code!: string;
  @Column('text') name!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A CPS area: its teams serve police units of one or more forces. */
@Entity('cps_areas')
export class CpsArea {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/**
 * A team people and cases belong to, by the id they already carry (`unit`). A police unit belongs to a force, a CPS
 * team to an area: exactly one of the two (a CHECK in the database).
 */
@Entity('units')
export class Unit {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text') organisation!: UnitOrganisation;
  @Index() @Column('text', { name: 'force_id', nullable: true }) forceId!: string | null;
  @Index() @Column('text', { name: 'area_id', nullable: true }) areaId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** One CPS team serving one police unit: whom a notice to "the DCP" of a case, or a clinic's liaison, resolves to. */
@Entity('unit_services')
export class UnitServiceLink {
  @PrimaryColumn('text', { name: 'police_unit_id' }) policeUnitId!: string;
  @Index() @PrimaryColumn('text', { name: 'cps_unit_id' }) cpsUnitId!: string;
}
